// 评选表彰's public pages: the list in 公示 with its objection form (named or anonymous), the final
// list, and a winner's printable certificate (荣誉证书) or plaque (标牌) with a QR code to the list.
import { raw } from 'hono/html';
import { type CertificateView, OBJECTION_FIELDS as FIELDS, OBJECTION_LIMITS, type PublicityView } from '../../../ports.js';
import { FormErrors, Layout } from './layout.js';

export function PublicityPage({ view, csrf, errors, done }: { view: PublicityView; csrf: string; errors: string[]; done: boolean }) {
  const final = view.stage === 'final';
  return (
    <Layout title={`${final ? '表彰名单' : '评选表彰公示'} · ${view.campaignTitle}`}>
      <div class="page survey">
        <h1>{final ? '表彰名单' : '评选表彰公示'}</h1>
        <p class="hint">{view.campaignTitle}</p>
        <p>{final ? '经集团党委研究决定，对以下同志和集体予以表彰：' : '经集团党委研究，拟表彰以下同志和集体，现予公示：'}</p>
        <ol class="pledges">
          {view.entries.map((e) => (
            <li>
              <strong>{e.title}</strong>：{e.name}
              {e.branch && e.branch !== e.name ? `（${e.branch}）` : ''}
            </li>
          ))}
        </ol>
        <p>
          公示期：{view.from} 至 {view.to}
        </p>
        {done ? (
          <p class="flash" role="status">
            您的意见已提交集团党委，感谢您的监督。
          </p>
        ) : null}
        {view.open ? (
          <>
            <h2>反映意见</h2>
            <p class="hint">可以实名或匿名反映。实名反映请留下联系方式，便于核实；匿名反映不记录任何身份信息。</p>
            <FormErrors errors={errors} />
            <form method="post">
              <input type="hidden" name="_csrf" value={csrf} />
              <p>
                <label for="nominee">反映对象</label>
                <select id="nominee" name={FIELDS.nominee}>
                  <option value="">整个名单</option>
                  {view.entries.map((e) => (
                    <option value={String(e.id)}>
                      {e.title}：{e.name}
                    </option>
                  ))}
                </select>
              </p>
              <p>
                <label for="text">
                  意见内容<span class="req">（必填，不超过 {OBJECTION_LIMITS.text} 字）</span>
                </label>
                <textarea id="text" name={FIELDS.text} rows={5} maxlength={OBJECTION_LIMITS.text} required />
              </p>
              <p>
                <label for="name">
                  姓名<span class="opt">（选填，不填即匿名）</span>
                </label>
                <input id="name" type="text" name={FIELDS.name} maxlength={OBJECTION_LIMITS.name} autocomplete="name" />
              </p>
              <p>
                <label for="contact">
                  联系方式<span class="opt">（选填）</span>
                </label>
                <input id="contact" type="text" name={FIELDS.contact} maxlength={OBJECTION_LIMITS.contact} autocomplete="tel" />
              </p>
              <button class="btn btn-primary big" type="submit">
                提交意见
              </button>
            </form>
          </>
        ) : final ? null : (
          <p class="hint">公示期已结束。</p>
        )}
      </div>
    </Layout>
  );
}

export function CertificatePage({ view, qr, url }: { view: CertificateView; qr: string; url: string }) {
  const plaque = view.kind === 'plaque';
  return (
    <Layout title={`${plaque ? '标牌' : '荣誉证书'} · ${view.name}`}>
      <style>{raw('@page{size:A4 landscape;margin:12mm}')}</style>
      <div class="print">
        <p class="noprint hint">用浏览器的“打印”打印本页（A4 横向）。</p>
        <section class={plaque ? 'plaque post' : 'certificate'}>
          {plaque ? (
            <>
              <p class="plaque-kind">党员示范岗</p>
              <h1>{view.title.replace(/^党员示范岗·?/, '') || '党员示范岗'}</h1>
              <p class="plaque-sub">
                {view.name} · {view.branch}
              </p>
            </>
          ) : (
            <>
              <p class="cert-head">荣誉证书</p>
              <p class="cert-body">
                <strong>{view.name}</strong>
                {view.branch && view.branch !== view.name ? `（${view.branch}）` : ''}：
              </p>
              <p class="cert-body">
                在{view.campaignTitle}中表现突出，经集团党委研究决定，授予“<strong>{view.title}</strong>”称号，特发此证，以资鼓励。
              </p>
            </>
          )}
          <div class="cert-foot">
            <div class="qr qr-small">{raw(qr)}</div>
            <p class="cert-sign">
              {view.issuer}
              <br />
              {view.date}
            </p>
          </div>
          <p class="url">{url}</p>
        </section>
      </div>
    </Layout>
  );
}
