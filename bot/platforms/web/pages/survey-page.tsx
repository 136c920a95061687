// The survey page the people served open from a QR code: big touch targets, plain form, no script.
import type { SurveyPageView } from '../../../ports.js';
import { FormErrors, Layout } from './layout.js';

export function SurveyPage({ view, csrf, code, errors }: { view: SurveyPageView; csrf: string; code: string | null; errors: string[] }) {
  return (
    <Layout title={view.title}>
      <div class="page survey">
        <h1>{view.title}</h1>
        {view.subject ? (
          <p class="subject">
            {view.subject.post} · {view.subject.name}（{view.branchName}）
          </p>
        ) : null}
        <p class="hint">您的评价是匿名的：不记录姓名、IP 或设备。感谢您帮助我们改进服务。</p>
        {view.pledges ? (
          <section class="pledges" aria-label="公开承诺">
            <h2>我们的公开承诺</h2>
            <p class="hint">请对照承诺监督、评价我们的服务。</p>
            {view.pledges.branch ? (
              <>
                <h3>支部承诺</h3>
                <ul>
                  {view.pledges.branch.map((l) => (
                    <li>{l}</li>
                  ))}
                </ul>
              </>
            ) : null}
            {view.pledges.members.length ? <h3>{view.subject ? `${view.subject.name}的承诺` : `党员承诺（${view.pledges.members.length} 人）`}</h3> : null}
            {view.pledges.members.map((items) => (
              <ul class="member-pledge">
                {items.map((l) => (
                  <li>{l}</li>
                ))}
              </ul>
            ))}
          </section>
        ) : null}
        <FormErrors errors={errors} />
        <form method="post">
          <input type="hidden" name="_csrf" value={csrf} />
          {view.mode === 'coded' ? (
            <p>
              <label for="code">评价码（见您拿到的纸条）</label>
              <input id="code" type="text" name="code" value={code ?? ''} required maxlength={12} autocomplete="off" />
            </p>
          ) : null}
          <fieldset class="choices">
            <legend>
              您对{view.subject ? `「${view.subject.name}」` : `「${view.branchName}」`}的服务总体是否满意？<span class="req">（必选）</span>
            </legend>
            {view.ratings.map((r) => (
              <label class="choice">
                <input type="radio" name="rating" value={r.value} required /> {r.label}
              </label>
            ))}
          </fieldset>
          {view.criteria.map((name, i) => (
            <fieldset class="choices">
              <legend>
                {name}
                <span class="opt">（选填）</span>
              </legend>
              {view.ratings.map((r) => (
                <label class="choice">
                  <input type="radio" name={`c${i + 1}`} value={r.value} /> {r.label}
                </label>
              ))}
            </fieldset>
          ))}
          <p>
            <label for="comment">意见建议（选填，不超过 {view.commentMax} 字）</label>
            <textarea id="comment" name="comment" rows={4} maxlength={view.commentMax} />
          </p>
          <button class="btn btn-primary big" type="submit">
            提交评价
          </button>
        </form>
      </div>
    </Layout>
  );
}
