// The built-in campaign templates (seeds 000-002), validated once at module load.
import { loadTemplate, TemplateError, type LoadedTemplate } from '../template.js';
import modelPost from './model-post.json' with { type: 'json' };
import excellence from './excellence.json' with { type: 'json' };
import threeLights from './three-lights.json' with { type: 'json' };

/** Raw template data in registry order; exported so tests can check and mutate copies. */
export const rawTemplates: readonly unknown[] = [modelPost, excellence, threeLights];

/** Lower-cased, without whitespace or quotation marks: 「 示范岗 」, “党员示范岗” and MODEL-POST all match. */
function key(name: string): string {
  return name.replace(/[\s"'“”‘’「」『』《》]/gu, '').toLowerCase();
}

/** Loads each template and checks that no id or alias names two templates. */
export function registerTemplates(raws: readonly unknown[]): LoadedTemplate[] {
  const loaded = raws.map((raw) => loadTemplate(raw));
  const seen = new Map<string, string>();
  loaded.forEach(({ template }, i) => {
    const names: Array<[string, string]> = [
      [template.id, `templates[${i}].id`],
      ...template.aliases.map((a, j): [string, string] => [a, `templates[${i}].aliases[${j}]`]),
    ];
    for (const [name, path] of names) {
      const k = key(name);
      const owner = seen.get(k);
      if (owner !== undefined && owner !== template.id) {
        throw new TemplateError(path, `name ${name} is already used by template ${owner}`);
      }
      seen.set(k, template.id);
    }
  });
  return loaded;
}

/** All built-in templates; a template that does not validate fails here, at startup. */
export const templates: LoadedTemplate[] = registerTemplates(rawTemplates);

/** The template whose id or one of whose Chinese aliases is `name` (case-insensitive, whitespace ignored). */
export function findTemplate(name: string): LoadedTemplate | undefined {
  const k = key(name);
  if (!k) return undefined;
  return templates.find(({ template }) => key(template.id) === k || template.aliases.some((a) => key(a) === k));
}
