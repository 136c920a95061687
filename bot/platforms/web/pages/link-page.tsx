// A personal card opened from a signed link: the card, its answer after a post, nothing else.
import type { CardModel } from '../../../../cards/model.js';
import { type CardPost, CardView } from '../render.js';
import { Layout } from './layout.js';

export function LinkPage({
  card,
  text,
  notice,
  post,
}: {
  card: CardModel | null;
  text: string | null;
  notice: string | null;
  post: { url: string; csrf: string; nonce: string; sign: CardPost['sign'] };
}) {
  return (
    <Layout title={card?.title ?? '党建助手'}>
      <div class="page">
        {notice ? (
          <p class="flash" role="status">
            {notice}
          </p>
        ) : null}
        {card ? <CardView card={card} post={{ url: post.url, hidden: { _csrf: post.csrf, _n: post.nonce }, sign: post.sign }} /> : null}
        {text ? <p>{text}</p> : null}
        <p class="hint">这是发给您本人的链接，请勿转发。</p>
      </div>
    </Layout>
  );
}
