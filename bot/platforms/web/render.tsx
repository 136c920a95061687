// CardModel -> HTML: the card as a page section, buttons and forms as plain HTML forms that post
// the card's action back (they work without JavaScript).
import type { ActionRef, Block, Button, CardModel, FormBlock, FormField } from '../../../cards/model.js';
import { CardText } from './text.js';

/** Where a card's buttons and forms post, the hidden fields that say which message and who, and the signer of their actions. */
export interface CardPost {
  url: string;
  hidden: Record<string, string>;
  /** Signs an action with where it is shown, so a post can carry only the actions this card offered. */
  sign(id: string, v: string, args: string): string;
}

function actionFields(ref: ActionRef, post: CardPost): Record<string, string> {
  const fields = { _a: ref.id, _v: String(ref.v), _args: JSON.stringify(ref.args ?? {}) };
  return { ...fields, _sig: post.sign(fields._a, fields._v, fields._args) };
}

function Hidden({ fields }: { fields: Record<string, string> }) {
  return (
    <>
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

function ButtonForm({ b, post }: { b: Button; post: CardPost }) {
  const confirm = b.confirm ? `return confirm(${JSON.stringify(`${b.confirm.title}\n${b.confirm.text}`)})` : undefined;
  return (
    <form method="post" action={post.url} class="card-button" onsubmit={confirm}>
      <Hidden fields={{ ...post.hidden, ...actionFields(b.action, post) }} />
      <button type="submit" class={`btn btn-${b.style ?? 'default'}`}>
        {b.label}
      </button>
    </form>
  );
}

function Field({ f }: { f: FormField }) {
  switch (f.kind) {
    case 'text':
      return (f.maxLength ?? 0) > 60 ? (
        <textarea name={f.name} placeholder={f.placeholder} maxlength={f.maxLength} rows={3} aria-label={f.placeholder}>
          {f.value ?? ''}
        </textarea>
      ) : (
        <input type="text" name={f.name} placeholder={f.placeholder} value={f.value ?? ''} maxlength={f.maxLength} aria-label={f.placeholder} />
      );
    case 'select':
      return (
        <select name={f.name} aria-label={f.placeholder}>
          <option value="">{f.placeholder}</option>
          {f.options.map((o) => (
            <option value={o.value} selected={o.value === f.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'date':
      return <input type="date" name={f.name} value={f.value ?? ''} aria-label={f.placeholder} />;
  }
}

function FormView({ b, post }: { b: FormBlock; post: CardPost }) {
  return (
    <form method="post" action={post.url} class="card-form" data-form={b.name}>
      <Hidden fields={{ ...post.hidden, ...actionFields(b.submit.action, post) }} />
      {b.sections.map((s) => (
        <fieldset>
          <legend>
            <CardText text={s.heading} />
          </legend>
          {s.fields.map((f) => (
            <Field f={f} />
          ))}
        </fieldset>
      ))}
      <button type="submit" class={`btn btn-${b.submit.style ?? 'primary'}`}>
        {b.submit.label}
      </button>
    </form>
  );
}

function BlockView({ b, post }: { b: Block; post: CardPost }) {
  switch (b.type) {
    case 'markdown':
      return (
        <div class="md">
          <CardText text={b.text} />
        </div>
      );
    case 'note':
      return (
        <div class="note">
          <CardText text={b.text} />
        </div>
      );
    case 'divider':
      return <hr />;
    case 'fields':
      return (
        <dl class="fields">
          {b.fields.map((f) => (
            <>
              <dt>{f.label}</dt>
              <dd>
                <CardText text={f.value} />
              </dd>
            </>
          ))}
        </dl>
      );
    case 'chart': {
      const max = Math.max(1, ...b.bars.map((x) => x.value));
      return (
        <figure class="chart">
          <figcaption>{b.title}</figcaption>
          {b.bars.map((bar) => (
            <div class="bar">
              <span class="bar-label">{bar.label}</span>
              <span class="bar-fill" style={`width:${Math.round((bar.value / max) * 100)}%`} />
              <span class="bar-value">{bar.value}</span>
            </div>
          ))}
        </figure>
      );
    }
    case 'links':
      return (
        <div class="actions">
          {b.links.map((l) => (
            <a class="btn" href={l.url} target="_blank" rel="noopener">
              {l.label}
            </a>
          ))}
        </div>
      );
    case 'actions':
      return (
        <div class="actions">
          {b.buttons.map((btn) => (
            <ButtonForm b={btn} post={post} />
          ))}
        </div>
      );
    case 'form':
      return <FormView b={b} post={post} />;
  }
}

export function CardView({ card, post }: { card: CardModel; post: CardPost }) {
  return (
    <article class={`card tone-card-${card.tone ?? 'blue'}`}>
      <header>
        <h3>{card.title}</h3>
        {card.subtitle ? <p class="subtitle">{card.subtitle}</p> : null}
      </header>
      {card.blocks.map((b) => (
        <BlockView b={b} post={post} />
      ))}
    </article>
  );
}
