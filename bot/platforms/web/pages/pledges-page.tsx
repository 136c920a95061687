// A branch's public pledge page (公开亮出承诺，自觉接受服务对象监督): readable on a phone, no names.
import type { PublicPledgesView } from '../../../ports.js';
import { Layout } from './layout.js';

export function PledgesPage({ view }: { view: PublicPledgesView }) {
  return (
    <Layout title={`${view.branchName} · 承诺公示`}>
      <div class="page survey">
        <h1>{view.branchName} · 承诺公示</h1>
        <p class="hint">公开亮出承诺，自觉接受服务对象和广大职工的监督。</p>
        <section class="pledges" aria-label="公开承诺">
          <h2>支部承诺</h2>
          {view.branch ? (
            <ul>
              {view.branch.map((l) => (
                <li>{l}</li>
              ))}
            </ul>
          ) : (
            <p class="hint">支部承诺尚未填写。</p>
          )}
          <h2>党员承诺（{view.members.length} 人）</h2>
          {view.members.map((items) => (
            <ul class="member-pledge">
              {items.map((l) => (
                <li>{l}</li>
              ))}
            </ul>
          ))}
        </section>
      </div>
    </Layout>
  );
}
