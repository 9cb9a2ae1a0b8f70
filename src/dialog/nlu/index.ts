/** Answer understanding (Chinese and English): the public surface of src/dialog/nlu. */
export { createNlu } from './understand.js';
export type { Nlu } from './understand.js';
export { parseAmount, findAmounts } from './amount.js';
export type { AmountCandidate, FoundAmounts } from './amount.js';
export { parseChineseNumber, formatChineseNumber, englishNumbersToDigits } from './numerals.js';
export { UNIT_TABLE, convertUnit, lookupUnit, parseQuestionUnit, spellUnit } from './units.js';
export type { Dimension, UnitDef } from './units.js';
export { MAX_INPUT_CHARS } from './normalize.js';
export type {
  Approx,
  ChoiceAnswer,
  ChoiceOption,
  DateAnswer,
  DurationAnswer,
  DurationSinceAnswer,
  Intent,
  NluNote,
  NumberAnswer,
  ParsedAnswer,
  PlaceAnswer,
  Period,
  TextAnswer,
  Understanding,
  UnderstandOptions,
  YesNoAnswer,
} from './types.js';
