/**
 * Templates by id and version. A published version never changes; a change is a new version, so a case keeps
 * pointing at the exact questions its officer answered.
 */
import { notFound, unprocessable } from '../../platform/errors.js';
import type { Sector } from '../../questions/types.js';
import { validateTemplate } from './check.js';
import type { SurveyTemplate } from './schema.js';
import { cropsTemplate } from './sectors/crops.js';
import { groceryTemplate } from './sectors/grocery.js';
import { livestockTemplate } from './sectors/livestock.js';
import { processingTemplate } from './sectors/processing.js';
import { restaurantTemplate } from './sectors/restaurant.js';
import { transportTemplate } from './sectors/transport.js';

export interface TemplateSummary {
  id: string;
  version: number;
  sector: Sector;
  title: SurveyTemplate['title'];
}

export interface TemplateRegistry {
  /** The newest version of each template (all versions with `allVersions`). */
  listTemplates(opts?: { sector?: Sector; allVersions?: boolean }): TemplateSummary[];
  /** The given version, or the newest one. Throws TEMPLATE_NOT_FOUND. */
  getTemplate(id: string, version?: number): SurveyTemplate;
}

/** Builds a registry; refuses (TEMPLATE_INVALID) a template that fails validateTemplate or repeats an id@version. */
export function createTemplateRegistry(templates: readonly SurveyTemplate[]): TemplateRegistry {
  const byKey = new Map<string, SurveyTemplate>();
  for (const t of templates) {
    const issues = validateTemplate(t);
    if (issues.length)
      throw unprocessable('TEMPLATE_INVALID', `template ${t.id}@${t.version} is not valid`, { issues });
    const key = `${t.id}@${t.version}`;
    if (byKey.has(key)) throw unprocessable('TEMPLATE_INVALID', `template ${key} is registered twice`);
    byKey.set(key, t);
  }
  const all = [...byKey.values()].sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
  const newest = (id: string) => all.filter((t) => t.id === id).at(-1);
  return {
    listTemplates({ sector, allVersions = false } = {}) {
      return all
        .filter((t) => (sector ? t.sector === sector : true))
        .filter((t) => allVersions || newest(t.id) === t)
        .map((t) => ({ id: t.id, version: t.version, sector: t.sector, title: t.title }));
    },
    getTemplate(id, version) {
      const t = version === undefined ? newest(id) : byKey.get(`${id}@${version}`);
      if (!t) throw notFound('template', version === undefined ? id : `${id}@${version}`);
      return t;
    },
  };
}

export const BUILT_IN_TEMPLATES: readonly SurveyTemplate[] = Object.freeze([
  groceryTemplate,
  restaurantTemplate,
  cropsTemplate,
  livestockTemplate,
  transportTemplate,
  processingTemplate,
]);

const builtIn = createTemplateRegistry(BUILT_IN_TEMPLATES);

export const listTemplates: TemplateRegistry['listTemplates'] = (opts) => builtIn.listTemplates(opts);
export const getTemplate: TemplateRegistry['getTemplate'] = (id, version) => builtIn.getTemplate(id, version);
