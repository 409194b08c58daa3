// `completion bash|zsh|fish` prints a script; `__complete` (hidden, Cobra's protocol) answers the shells, kubectl
// (kubectl_complete-flux_deps) and `flux deps`. Live names come from the cluster with a 2 s limit, so a slow
// cluster never hangs the shell.
import { positional, type Args, type Command, type Flag } from '../args.ts';
import { complete, completionScript, renderCompletion } from '../completion.ts';
import { ExitCode, UsageError } from '../errors.ts';
import type { IO } from '../io.ts';
import { fluxApis, type FluxKind } from '../model/flux.ts';
import { globalOptions } from '../options.ts';

const shells = ['bash', 'zsh', 'fish'] as const;

export function completionCommand(io: IO): Command<{ shell: (typeof shells)[number] }> {
  return {
    name: 'completion',
    describe: 'Print the shell completion script for bash, zsh or fish',
    positionals: [{ name: 'shell', required: true, describe: 'bash, zsh or fish' }],
    flags: [],
    examples: [
      ['source <($0 completion bash)', 'Complete commands, flags and object names in bash'],
      ['$0 completion fish | source', 'The same in fish'],
    ],
    options: (args) => {
      const shell = shells.find((s) => s === positional(args, 'shell'));
      if (!shell) throw new UsageError(`unsupported shell "${positional(args, 'shell')}": use bash, zsh or fish`);
      return { shell };
    },
    run: async ({ shell }) => {
      io.out(completionScript(shell, 'flux-deps'));
      return ExitCode.ok;
    },
  };
}

/** Answers `__complete WORD... CURRENT`; never fails loudly: a shell shows nothing rather than an error. */
export async function completeWords(words: string[], commands: Command[], globals: Flag[], io: IO): Promise<number> {
  const names = async (namespace: string | undefined) => {
    const args: Args = { 'request-timeout': '2s' };
    for (let i = 0; i < words.length - 1; i++) {
      const flag = globals.find((f) => f.type === 'string' && (words[i] === `--${f.name}` || (f.short && words[i] === `-${f.short}`)));
      if (flag) args[flag.name] = words[i + 1];
    }
    const g = globalOptions(args, io);
    const { openReader } = await import('../read/open.ts');
    const reader = await openReader(g, io);
    try {
      const lists = await Promise.all((Object.keys(fluxApis) as FluxKind[]).map(async (kind) => {
        const r = await reader.list({ apiVersion: `${fluxApis[kind].group}/${fluxApis[kind].version}`, kind, namespace: namespace ?? g.namespace });
        return r.items.map((o) => (kind === 'HelmRelease' ? `hr/${o.metadata?.name}` : `${o.metadata?.name}`));
      }));
      return lists.flat().sort();
    } finally {
      reader.close();
    }
  };
  const contexts = async () => {
    const { contextNames } = await import('../cluster/kubeconfig.ts');
    const at = words.findIndex((w) => w === '--kubeconfig');
    return contextNames(at >= 0 && words[at + 1] !== undefined && at + 1 < words.length - 1 ? { kubeconfig: words[at + 1] } : {}, io.env);
  };
  io.out(renderCompletion(await complete(words, commands, globals, names, contexts)));
  return ExitCode.ok;
}
