// How text output names an object: Kind/name when it lives in the namespace in view, its full id otherwise.
import type { GraphNode } from '../model/graph.ts';

export function displayName(node: Pick<GraphNode, 'kind' | 'namespace' | 'name'>, namespace: string, allNamespaces: boolean): string {
  return !allNamespaces && node.namespace === namespace ? `${node.kind}/${node.name}` : `${node.kind}/${node.namespace}/${node.name}`;
}
