// Colours and order shared by every chart, chosen to keep ≥ 3:1 contrast against both the
// light and the dark Starlight background (WCAG 1.4.11 non-text contrast).
export const CELL_ORDER = ['rnn', 'lstm', 'gru'] as const;
export type CellName = (typeof CELL_ORDER)[number];
export const CELL_COLORS: Record<CellName, string> = {
  rnn: '#e8590c',
  lstm: '#1c7ed6',
  gru: '#2f9e44',
};
export const CELL_LABELS: Record<CellName, string> = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };
export const CHART_WIDTH = 640;
