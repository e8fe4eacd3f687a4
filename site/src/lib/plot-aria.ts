// Observable Plot names each mark's <g> with aria-label ("line", "rule", …). A <g> has no role,
// so axe reports aria-prohibited-attr; the chart's own name and description sit on its <svg>.
// The mark name moves to data-mark (kept where a chart already set its own), where tests and
// styles still find it. Build-time figures get the same treatment from plugins/plot-aria.ts.
export function quietMarks(root: ParentNode): void {
  for (const g of Array.from(root.querySelectorAll('g[aria-label]'))) {
    if (!g.hasAttribute('data-mark')) g.setAttribute('data-mark', g.getAttribute('aria-label') ?? '');
    g.removeAttribute('aria-label');
  }
}
