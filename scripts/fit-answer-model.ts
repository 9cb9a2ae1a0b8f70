/**
 * Writes the answer model the service judges answers with: `npx tsx scripts/fit-answer-model.ts [out] [interviews] [seed]`
 * (default out models/dialog/answer-model.json, 1200 interviews, seed 1). The model is fitted on SIMULATED past
 * interviews over banks generated from the default catalogue (src/dialog/belief/fit-catalogue.ts): a starting point
 * until the bank's own labelled interviews exist. The same arguments write the same file, byte for byte.
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_CATALOGUE } from '../src/questions/catalogue/default.js';
import { DEFAULT_CATALOGUE_FIT, fitCatalogueAnswerModel } from '../src/dialog/belief/fit-catalogue.js';
import type { AnswerModelFile } from '../src/dialog/belief/load.js';
import { parseAnswerModelFile } from '../src/dialog/belief/load.js';

const out = process.argv[2] ?? 'models/dialog/answer-model.json';
const interviews = Number(process.argv[3] ?? DEFAULT_CATALOGUE_FIT.interviews);
const seed = Number(process.argv[4] ?? DEFAULT_CATALOGUE_FIT.seed);

const fit = fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews, seed });
// Six significant digits keep the file small and readable; the judgement does not depend on the seventh.
const rounded = JSON.parse(
  JSON.stringify(fit.model, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v)),
) as AnswerModelFile['model'];
const file: AnswerModelFile = {
  format: 'weidai.answer-model/1',
  fittedOn: {
    source: 'simulated',
    catalogueVersion: fit.catalogueVersion,
    factIds: fit.factIds,
    interviews: fit.interviews,
    seed: fit.seed,
    note:
      'Fitted on SIMULATED past interviews (src/dialog/sim) over banks generated from the default catalogue for the ' +
      'sample cases: a starting point until the bank has its own labelled interviews. Refit: ' +
      'npx tsx scripts/fit-answer-model.ts',
  },
  model: rounded,
};
// Rounding four probabilities to six digits can leave a row's sum 1 ± 1.5e-6, beyond the loader's 1e-6: the row's
// largest entry takes up the rest, so every row sums to 1 to the last digit kept.
const rows = [...Object.values(rounded.byKind).flatMap((k) => [k.ifTrue, k.ifFalse]), rounded.unreliable];
for (const row of rows) {
  const outcomes = Object.keys(row) as (keyof typeof row)[];
  const largest = outcomes.reduce((a, o) => (row[o] > row[a] ? o : a));
  const rest = outcomes.filter((o) => o !== largest).reduce((acc, o) => acc + row[o], 0);
  row[largest] = Number((1 - rest).toPrecision(6));
}
// The loader's own check is the test of the file.
parseAnswerModelFile(file);
writeFileSync(out, JSON.stringify(file, null, 2) + '\n');
console.log(
  `wrote ${out}: ${fit.interviews} simulated interviews, ${fit.factIds.length} facts, ${fit.model.version}`,
);
