// The printable sheet: the survey's QR code for a counter or a plaque, or (coded) one slip per code.
import { raw } from 'hono/html';
import { Layout } from './layout.js';

export interface PrintSlip {
  svg: string;
  code: string | null;
}

export function PrintPage({ title, branchName, url, main, slips }: { title: string; branchName: string; url: string; main: string; slips: PrintSlip[] }) {
  return (
    <Layout title={`打印 · ${title}`}>
      <div class="print">
        <p class="noprint hint">用浏览器的“打印”打印本页（A4）。{slips.length ? '沿虚线剪开，每张纸条一个评价码，只能评价一次。' : ''}</p>
        <section class="plaque">
          <h1>{branchName}</h1>
          <p class="plaque-sub">服务满意度评价 · 扫码匿名评价</p>
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
