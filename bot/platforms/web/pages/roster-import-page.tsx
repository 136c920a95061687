// The roster import page: upload the committee's file, see what would change row by row (or every row's
// errors), then import all at once. Nothing is written before the last button.
import type { RosterImportView } from '../../../ports.js';
import { Layout } from './layout.js';

const KIND = { add: '新增', update: '更新', same: '不变' } as const;

function Upload({ csrf }: { csrf: string }) {
  return (
    <form method="post" enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value={csrf} />
      <p>
        <label for="file">名册文件（Excel .xlsx 或 CSV，最大 2 MB）</label>
        <input id="file" type="file" name="file" accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" required />
      </p>
      <button class="btn btn-primary big" type="submit">
        上传并预览
      </button>
    </form>
  );
}

function Preview({ view, csrf }: { view: RosterImportView; csrf: string }) {
  const count = (k: keyof typeof KIND) => view.rows.filter((r) => r.kind === k).length;
  const upload = view.upload!;
  const badLines = new Set(view.errors.map((e) => e.line)).size;
  return (
    <>
      <h2>预览：{upload.fileName}</h2>
      <p>
        共 {view.rows.length + badLines} 行：新增 {count('add')} 人，更新 {count('update')} 人，不变 {count('same')} 人{badLines ? `，有误 ${badLines} 行` : ''}
        。
      </p>
      {view.errors.length ? (
        <div class="errors" role="alert">
          <p>
            <strong>以下 {view.errors.length} 处有误，本文件不会导入任何一行。请在原文件中修改后重新上传：</strong>
          </p>
          <ul>
            {view.errors.map((e) => (
              <li>
                第 {e.line} 行：{e.text}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="scroll">
        <table class="table">
          <thead>
            <tr>
              <th>行</th>
              <th>姓名</th>
              <th>支部</th>
              <th>政治面貌</th>
              <th>变更</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((r) => (
              <tr>
                <td>{r.line}</td>
                <td>{r.name}</td>
                <td>{r.branch}</td>
                <td>{r.status}</td>
                <td>
                  {KIND[r.kind]}
                  {r.kind === 'add' ? '（加入支部群并 /同步 后对应到本人）' : ''}
                  {r.changes.length ? (
                    <ul>
                      {r.changes.map((c) => (
                        <li>{c}</li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.errors.length ? null : (
        <form method="post" action="?apply=1">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="upload" value={String(upload.id)} />
          <button class="btn btn-primary big" type="submit">
            确认导入 {count('add') + count('update')} 处变更
          </button>
        </form>
      )}
    </>
  );
}

export function RosterImportPage({ view, csrf, templateUrl }: { view: RosterImportView; csrf: string; templateUrl: string }) {
  const applied = view.upload?.applied;
  return (
    <Layout title="名册导入">
      <div class="page survey">
        <h1>名册导入</h1>
        <p class="hint">导入范围：{view.scope}</p>
        {applied ? (
          <p class="flash" role="status">
            已导入。名册中未出现在文件里的成员保持不变；新增的成员加入支部群后，书记发送 /同步 即可对应到本人。
          </p>
        ) : null}
        {view.fileError ? (
          <div class="errors" role="alert">
            <p>
              <strong>{view.fileError}</strong>
            </p>
          </div>
        ) : null}
        {view.upload ? <Preview view={view} csrf={csrf} /> : null}
        {applied ? null : (
          <>
            <h2>{view.upload ? '重新上传' : '上传名册'}</h2>
            <p>
              第一行为表头：<strong>姓名、工号、手机、支部、政治面貌、入党日期、职务</strong>
              。工号和手机至少填一项；政治面貌填正式党员、预备党员、入党积极分子或群众；入党日期如 2001-07-01。
              <a href={templateUrl}>下载空白模板（CSV）</a>
            </p>
            <Upload csrf={csrf} />
          </>
        )}
      </div>
    </Layout>
  );
}
