/**
 * Writes the answer model the service judges answers with: `npx tsx scripts/fit-answer-model.ts [out] [interviews] [seed]`
 * (default out models/dialog/answer-model.json, 1200 interviews, seed 1). The model is fitted on SIMULATED past
 * interviews over banks generated from the default catalogue (src/dialog/belief/fit-catalogue.ts): a starting point
 * until the bank's own labelled interviews exist. The same arguments write the same file, byte for byte, and the
 * committed file must be what the code writes (test/dialog/belief/load.test.ts): refit after changing the dialog's
 * rules, the simulator or the catalogue.
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_CATALOGUE } from '../src/questions/catalogue/default.js';
import {
  DEFAULT_CATALOGUE_FIT,
  answerModelFileOf,
  fitCatalogueAnswerModel,
} from '../src/dialog/belief/fit-catalogue.js';

const out = process.argv[2] ?? 'models/dialog/answer-model.json';
const interviews = Number(process.argv[3] ?? DEFAULT_CATALOGUE_FIT.interviews);
const seed = Number(process.argv[4] ?? DEFAULT_CATALOGUE_FIT.seed);

const fit = fitCatalogueAnswerModel({ catalogue: DEFAULT_CATALOGUE, interviews, seed });
const file = answerModelFileOf(fit);
writeFileSync(out, JSON.stringify(file, null, 2) + '\n');
console.log(
  `wrote ${out}: ${fit.interviews} simulated interviews, ${fit.factIds.length} facts, ${file.model.version}`,
);
