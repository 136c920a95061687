// CardModel -> Feishu card JSON 2.0 (schema "2.0", update_multi so cards can be patched in place).
import type { ActionRef, Block, Button, CardModel, FormBlock, FormField } from '../../../cards/model.js';
import { toneSpans } from '../../../cards/text.js';

type Json = Record<string, unknown>;

const plain = (content: string): Json => ({ tag: 'plain_text', content });
/** Neutral card text -> Feishu markdown: tone spans become <font color>. */
const markdown = (text: string): string => toneSpans(text, (t, inner) => `<font color='${t}'>${inner}</font>`);

export function actionValue(ref: ActionRef): Record<string, string | number> {
  return { ...(ref.args ?? {}), a: ref.id, v: ref.v };
}

function button(b: Button, index: number): Json {
  return {
    tag: 'button',
    name: `btn_${index}`,
    text: plain(b.label),
    type: b.style ?? 'default',
    behaviors: [{ type: 'callback', value: actionValue(b.action) }],
    ...(b.confirm ? { confirm: { title: plain(b.confirm.title), text: plain(b.confirm.text) } } : {}),
  };
}

function field(f: FormField): Json {
  switch (f.kind) {
    case 'text':
      return {
        tag: 'input',
        name: f.name,
        placeholder: plain(f.placeholder),
        width: 'fill',
        ...(f.maxLength ? { max_length: f.maxLength } : {}),
        ...(f.value ? { default_value: f.value } : {}),
      };
    case 'select':
      return {
        tag: 'select_static',
        name: f.name,
        placeholder: plain(f.placeholder),
        options: f.options.map((o) => ({ text: plain(o.label), value: o.value })),
        ...(f.value ? { initial_option: f.value } : {}),
      };
    case 'date':
      return { tag: 'date_picker', name: f.name, placeholder: plain(f.placeholder), ...(f.value ? { initial_date: f.value } : {}) };
  }
}

function form(b: FormBlock): Json {
  return {
    tag: 'form',
    name: b.name,
    elements: [
      ...b.sections.flatMap((s) => [{ tag: 'markdown', content: markdown(s.heading) }, ...s.fields.map(field)]),
      { ...button(b.submit, 0), name: 'submit', form_action_type: 'submit' },
    ],
  };
}

function block(b: Block): Json[] {
  switch (b.type) {
    case 'markdown':
      return [{ tag: 'markdown', content: markdown(b.text) }];
    case 'divider':
      return [{ tag: 'hr' }];
    case 'note':
      return [{ tag: 'markdown', content: markdown(b.text), text_size: 'notation' }];
    case 'fields':
      return [{ tag: 'markdown', content: markdown(b.fields.map((f) => `**${f.label}**：${f.value}`).join('\n')) }];
    case 'form':
      return [form(b)];
    case 'chart':
      // A VChart bar spec (data only, no functions); Feishu adds its own media queries unless told not to.
      return [
        { tag: 'markdown', content: `**${b.title}**` },
        {
          tag: 'chart',
          aspect_ratio: '16:9',
          color_theme: 'brand',
          chart_spec: {
            type: 'bar',
            data: { values: b.bars.map((bar) => ({ label: bar.label, value: bar.value })) },
            xField: 'label',
            yField: 'value',
            label: { visible: true },
          },
        },
      ];
    case 'links':
      return [
        {
          tag: 'column_set',
          flex_mode: 'flow',
          columns: b.links.map((l, i) => ({
            tag: 'column',
            width: 'auto',
            elements: [{ tag: 'button', name: `link_${i}`, text: plain(l.label), type: 'default', behaviors: [{ type: 'open_url', default_url: l.url }] }],
          })),
        },
      ];
    case 'actions':
      return [
        {
          tag: 'column_set',
          flex_mode: 'flow',
          columns: b.buttons.map((btn, i) => ({ tag: 'column', width: 'auto', elements: [button(btn, i)] })),
        },
      ];
  }
}

export function renderFeishuCard(card: CardModel): Json {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill' },
    header: {
      title: plain(card.title),
      ...(card.subtitle ? { subtitle: plain(card.subtitle) } : {}),
      template: card.tone ?? 'blue',
    },
    body: { elements: card.blocks.flatMap(block) },
  };
}
