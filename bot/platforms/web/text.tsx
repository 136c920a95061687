// Neutral card text (cards/text.ts's dialect) -> HTML: lines, "- " items, **bold**, tone spans and
// escapes. Everything reaches the page as text nodes, so nothing in it can become markup.
import type { Child } from 'hono/jsx';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** One line: tone spans, then **bold**, then escapes undone. */
function inline(text: string): Child[] {
  const out: Child[] = [];
  const tone = /<t (red|orange|green|grey)>([\s\S]*?)<\/t>/g;
  let last = 0;
  for (let m = tone.exec(text); m; m = tone.exec(text)) {
    out.push(...bold(text.slice(last, m.index)));
    out.push(<span class={`tone-${m[1]}`}>{bold(m[2]!)}</span>);
    last = m.index + m[0].length;
  }
  out.push(...bold(text.slice(last)));
  return out;
}

function bold(text: string): Child[] {
  const parts = text.split(/(?<!\\)\*\*/);
  return parts.map((p, i) => (i % 2 === 1 && i < parts.length - 1 ? <strong>{plain(p)}</strong> : plain(i % 2 === 1 ? `**${p}` : p)));
}

function plain(text: string): string {
  return text.replace(/\\(.)/g, '$1').replace(/&(amp|lt|gt);/g, (e) => ENTITIES[e] ?? e);
}

export function CardText({ text }: { text: string }) {
  const lines = text.split('\n');
  const blocks: Child[] = [];
  let items: Child[] = [];
  const flush = () => {
    if (items.length) blocks.push(<ul>{items}</ul>);
    items = [];
  };
  for (const line of lines) {
    if (/^- /.test(line)) {
      items.push(<li>{inline(line.slice(2))}</li>);
      continue;
    }
    flush();
    if (line.trim()) blocks.push(<p>{inline(line)}</p>);
  }
  flush();
  return <>{blocks}</>;
}
