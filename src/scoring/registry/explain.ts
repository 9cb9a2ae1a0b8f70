/**
 * Plain-language reasons from TreeSHAP contributions: the inputs that moved this case's log-odds of default the
 * most, each as a sentence in Chinese and English. Pure.
 */
import type { Localized } from '../../questions/types.js';
import type { DeclaredFeature } from '../features.js';
import { FEATURE_SCHEMA } from '../features.js';
import type { FeatureRow } from '../model/index.js';
import type { Grade } from '../pricing/index.js';

export interface ModelFactor {
  input: string;
  value: number | string | null;
  /** Contribution to the margin (log-odds of default), summed over the input's one-hot levels. */
  contribution: number;
  direction: 'raises_risk' | 'lowers_risk';
  text: Localized;
}

/** Upper bounds of model probability per grade A–D (a probability above D's is E). */
export type ModelGradeBands = Readonly<Record<'A' | 'B' | 'C' | 'D', number>>;

export const DEFAULT_MODEL_GRADE_BANDS: ModelGradeBands = { A: 0.03, B: 0.07, C: 0.15, D: 0.3 };

export function modelGrade(probability: number, bands: ModelGradeBands = DEFAULT_MODEL_GRADE_BANDS): Grade {
  if (probability <= bands.A) return 'A';
  if (probability <= bands.B) return 'B';
  if (probability <= bands.C) return 'C';
  if (probability <= bands.D) return 'D';
  return 'E';
}

function valueText(f: DeclaredFeature | undefined, value: FeatureRow[string]): Localized {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value)))
    return { 'zh-CN': '未知', 'en-US': 'unknown' };
  if (typeof value === 'string') return f?.categoryLabels?.[value] ?? { 'zh-CN': value, 'en-US': value };
  const n = typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : String(value);
  return { 'zh-CN': n, 'en-US': n };
}

/** Strength words by |contribution| in log-odds. */
function strength(abs: number): { zh: string; en: string } {
  if (abs >= 0.5) return { zh: '明显', en: 'clearly' };
  if (abs >= 0.15) return { zh: '', en: '' };
  return { zh: '略微', en: 'slightly' };
}

/**
 * The `top` inputs by |contribution|, largest first; inputs whose contribution is below `minAbs` are left
 * out, since they explain nothing.
 */
export function topFactors(
  byInput: Readonly<Record<string, number>>,
  row: FeatureRow,
  top = 5,
  minAbs = 1e-6,
  schema: readonly DeclaredFeature[] = FEATURE_SCHEMA,
): ModelFactor[] {
  return Object.entries(byInput)
    .filter(([, c]) => Math.abs(c) >= minAbs)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, top)
    .map(([input, contribution]) => {
      const f = schema.find((d) => d.name === input);
      const label = f?.label ?? { 'zh-CN': input, 'en-US': input };
      const v = valueText(f, row[input]);
      const raises = contribution > 0;
      const s = strength(Math.abs(contribution));
      const enVerb = `${s.en ? `${s.en} ` : ''}${raises ? 'raises' : 'lowers'}`;
      const raw = row[input];
      return {
        input,
        value:
          raw === undefined || (typeof raw === 'number' && Number.isNaN(raw))
            ? null
            : typeof raw === 'boolean'
              ? Number(raw)
              : raw,
        contribution,
        direction: raises ? 'raises_risk' : 'lowers_risk',
        text: {
          'zh-CN': `${label['zh-CN']}：${v['zh-CN']}，${s.zh}${raises ? '提高' : '降低'}违约风险`,
          'en-US': `${label['en-US']}: ${v['en-US']}, which ${enVerb} the risk of default`,
        },
      };
    });
}
