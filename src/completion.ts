// Shell completion in Cobra's `__complete` protocol, which kubectl (through kubectl_complete-flux_deps) and the
// flux CLI (for `flux deps`) speak to plugins: candidates one per line (`value<TAB>description`), then
// `:<directive>`. The shell scripts of `completion bash|zsh|fish` call the same protocol.
import type { Command, Flag } from './args.ts';

// Cobra's ShellCompDirective bits.
export const directive = { default: 0, noSpace: 2, noFileComp: 4 } as const;

export interface Completion {
  candidates: string[];
  directive: number;
}

/** Object names for a REF argument: Kustomizations as NAME, HelmReleases as hr/NAME. */
export type NameLister = (namespace: string | undefined) => Promise<string[]>;

/** The kubeconfig's context names, for --context. */
export type ContextLister = () => Promise<string[]>;

/** What to offer for the last word of `words` (the word being typed, possibly empty). */
export async function complete(words: string[], commands: Command[], globals: Flag[], names: NameLister, contexts: ContextLister = async () => []): Promise<Completion> {
  const typing = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const command = commands.find((c) => before.includes(c.name));
  const flags = [...(command?.flags ?? []), ...globals];
  const previous = before[before.length - 1] ?? '';
  const namespace = flagValue(before, 'namespace', 'n');

  // The value of a flag that takes one.
  const valueOf = flags.find((f) => f.type !== 'boolean' && (previous === `--${f.name}` || (f.short && previous === `-${f.short}`)));
  if (valueOf) {
    if (valueOf.choices) return { candidates: valueOf.choices.filter((c) => c.startsWith(typing)), directive: directive.noFileComp };
    if (valueOf.name === 'from' || valueOf.name === 'kubeconfig' || valueOf.name === 'certificate-authority') return { candidates: [], directive: directive.default };
    // A context, or the next of a list (a,b,c) on the commands that run across contexts.
    if (valueOf.name === 'context') {
      const done = command?.fleet ? typing.slice(0, typing.lastIndexOf(',') + 1) : '';
      const taken = new Set(done.split(','));
      const all = (await contexts().catch(() => [])).sort();
      return { candidates: all.filter((n) => !taken.has(n) && (done + n).startsWith(typing)).map((n) => done + n), directive: directive.noFileComp };
    }
    return { candidates: [], directive: directive.noFileComp };
  }
  if (typing.startsWith('-')) {
    const candidates = flags.flatMap((f) => [`--${f.name}\t${f.describe}`, ...(f.type === 'boolean' && f.default === true ? [`--no-${f.name}\t${f.describe}`] : [])]);
    return { candidates: candidates.filter((c) => c.startsWith(typing)), directive: directive.noFileComp };
  }
  if (!command) return { candidates: commands.map((c) => `${c.name}\t${c.describe}`).filter((c) => c.startsWith(typing)), directive: directive.noFileComp };
  if (command.positionals.length === 0 || command.name === 'completion') {
    const shells = command.name === 'completion' ? ['bash', 'zsh', 'fish'] : [];
    return { candidates: shells.filter((s) => s.startsWith(typing)), directive: directive.noFileComp };
  }
  const all = await names(namespace).catch(() => []);
  return { candidates: all.filter((n) => n.startsWith(typing)), directive: directive.noFileComp };
}

function flagValue(words: string[], long: string, short: string): string | undefined {
  for (let i = words.length - 2; i >= 0; i--) {
    if (words[i] === `--${long}` || words[i] === `-${short}`) return words[i + 1];
    const eq = words[i]?.match(new RegExp(`^--${long}=(.*)$`));
    if (eq) return eq[1];
  }
  const last = words[words.length - 1];
  const eq = last?.match(new RegExp(`^--${long}=(.*)$`));
  return eq?.[1];
}

/** The protocol's output. */
export function renderCompletion(c: Completion): string {
  return [...c.candidates, `:${c.directive}`].join('\n') + '\n';
}

/** A completion script that asks `<program> __complete` for candidates. */
export function completionScript(shell: string, program: string): string {
  const fn = `_${program.replace(/[^A-Za-z0-9]/g, '_')}`;
  if (shell === 'bash') {
    return `# bash completion for ${program}; load with: source <(${program} completion bash)
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} out directive
  out=$("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return
  directive=\${out##*:}
  out=$(printf '%s\\n' "$out" | sed '$d' | cut -f1)
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
  if [ \${#COMPREPLY[@]} -eq 0 ] && [ $((directive & 4)) -eq 0 ]; then COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F ${fn} ${program}
`;
  }
  if (shell === 'zsh') {
    return `#compdef ${program}
# zsh completion for ${program}; load with: source <(${program} completion zsh)
${fn}() {
  local -a lines candidates
  lines=("\${(@f)$(\${words[1]} __complete "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null)}")
  local directive=\${lines[-1]#:}
  for line in "\${(@)lines[1,-2]}"; do candidates+=("\${line%%$'\\t'*}:\${line#*$'\\t'}"); done
  if (( \${#candidates} )); then _describe 'values' candidates; elif (( (directive & 4) == 0 )); then _files; fi
}
compdef ${fn} ${program}
`;
  }
  return `# fish completion for ${program}; load with: ${program} completion fish | source
function __${fn}_candidates
  set -l args (commandline -opc)[2..-1] (commandline -ct)
  ${program} __complete $args 2>/dev/null | string match -v -r '^:'
end
complete -c ${program} -f -a '(__${fn}_candidates)'
`;
}
