// The printable sheet: the survey's QR code for a counter or a plaque, or (coded) one slip per code.
import { raw } from 'hono/html';
import { Layout } from './layout.js';

export interface PrintSlip {
  svg: string;
  code: string | null;
}

export interface PlaqueSubject {
  name: string;
  post: string;
  pledge: string[];
}

export function PrintPage({
  title,
  branchName,
  url,
  main,
  slips,
  subject,
}: {
  title: string;
  branchName: string;
  url: string;
  main: string;
  slips: PrintSlip[];
  subject: PlaqueSubject | null;
}) {
  return (
    <Layout title={`打印 · ${title}`}>
      <div class="print">
        <p class="noprint hint">用浏览器的“打印”打印本页（A4）。{slips.length ? '沿虚线剪开，每张纸条一个评价码，只能评价一次。' : ''}</p>
        <section class={subject ? 'plaque post' : 'plaque'}>
          {subject ? (
            <>
              <p class="plaque-kind">党员示范岗 · {subject.post}</p>
              <h1>{subject.name}</h1>
              <p class="plaque-sub">{branchName}</p>
              {subject.pledge.length ? (
                <ul class="plaque-pledge">
                  {subject.pledge.map((l) => (
                    <li>{l}</li>
                  ))}
                </ul>
              ) : null}
              <p class="plaque-sub">扫码查看承诺、匿名评价我的服务</p>
            </>
          ) : (
            <>
              <h1>{branchName}</h1>
              <p class="plaque-sub">服务满意度评价 · 扫码匿名评价</p>
            </>
          )}
          <div class="qr" role="img" aria-label={`评价页面二维码：${url}`}>
            {raw(main)}
          </div>
          <p class="url">{url}</p>
        </section>
        {slips.length ? (
          <section class="slips">
            {slips.map((s) => (
              <div class="slip">
                <div class="qr-small" role="img" aria-label={`评价码 ${s.code}`}>
                  {raw(s.svg)}
                </div>
                <p>
                  评价码 <strong class="code">{s.code}</strong>
                </p>
              </div>
            ))}
          </section>
        ) : null}
      </div>
    </Layout>
  );
}
