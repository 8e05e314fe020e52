/** A journey the builder offers as a starting point (and the demo publishes). Plain documents (spec §1). */
export interface LibraryJourney {
  id: string;
  name: { en: string; zh: string };
  description: { en: string; zh: string };
  doc: Record<string, unknown>;
  /** The playbook's industry band for the rate this journey is built to move (seed plays only). */
  playbook?: PlaybookBand;
}

/**
 * What the industry reports for the rate a play measures, to show beside the measured one. The measured
 * rate is the journey's goal conversion rate (results `totals.conversionRate`, or `maturedConversionRate`
 * once entries have matured); rates are fractions (0.3 is 30%).
 */
export interface PlaybookBand {
  /** The rate's name as the results page shows it. */
  metric: { en: string; zh: string };
  /** The goal (event and window) the journey measures that rate with: the same as its `settings.goal`. */
  goal: { event: string; within: string };
  /** The typical range without testing. */
  band: { low: number; high: number };
  /** The range reached by testing what the play tests, when the playbook gives one. */
  withTesting?: { low: number; high: number };
}

/**
 * A canvas position from the plays' grid (rows 120 apart, columns from 240): spread out so that steps drawn
 * at their real size (a split with its arm rows is ~150 px tall, every step 240 px wide) never overlap.
 */
export const pos = (x: number, y: number): { x: number; y: number } => ({
  x: Math.round(x * 1.3),
  y: Math.round(y * 1.6),
});
