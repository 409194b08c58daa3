// YAML output as kubectl writes it: sequences not indented under their key, no anchors for repeated values,
// long strings on one line. (Commands import this module lazily; importing the `yaml` package itself with a
// dynamic import() lost its named exports once bundled, as it is CommonJS.)
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value, { indentSeq: false, aliasDuplicateObjects: false, lineWidth: 0 });
}
