// A display equation wider than the screen scrolls sideways (.katex-display { overflow-x: auto }
// in custom.css). A scrollable region must be reachable by keyboard (axe:
// scrollable-region-focusable), so each one gets tabindex="0"; a focusable element needs a role
// and a name for screen readers to announce it, hence role="group" and a label in the page's
// language. Runs after rehype-katex.

interface HastNode {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

interface FileLike {
  path?: string;
  history?: string[];
}

const LABELS = { 'zh-CN': '公式', en: 'Equation' } as const;

/** English pages live under src/content/docs/en/; everything else is the zh-CN root locale. */
export function labelFor(path: string | undefined): string {
  const unix = (path ?? '').replace(/\\/g, '/');
  return unix.includes('/content/docs/en/') ? LABELS.en : LABELS['zh-CN'];
}

function hasClass(node: HastNode, name: string): boolean {
  const cls = node.properties?.className;
  return Array.isArray(cls) ? cls.includes(name) : cls === name;
}

function mark(node: HastNode, label: string): void {
  if (node.type === 'element' && hasClass(node, 'katex-display')) {
    node.properties = { ...node.properties, tabIndex: 0, role: 'group', ariaLabel: label };
    return;
  }
  for (const child of node.children ?? []) mark(child, label);
}

export default function rehypeScrollableMath() {
  return (tree: HastNode, file: FileLike) => {
    mark(tree, labelFor(file.path ?? file.history?.[0]));
  };
}
