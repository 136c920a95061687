// The pages' one stylesheet: phone first, a two-column chat from 860 px, print without controls.
export const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2329;background:#f2f3f5}
a{color:#245bdb}
.top{background:#c8161d;color:#fff;padding:10px 14px;display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between}
.top h1{font-size:17px;margin:0}
.top .clock{font-size:13px;opacity:.95}
.layout{display:flex;flex-direction:column;gap:10px;padding:10px;max-width:1200px;margin:0 auto}
.side,.main{background:#fff;border-radius:8px;padding:12px}
.side h2,.main h2{font-size:15px;margin:0 0 8px}
.side form{margin:0 0 10px}
.chats{list-style:none;margin:0 0 10px;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.chats a{display:block;padding:6px 10px;border-radius:6px;background:#f2f3f5;text-decoration:none;color:#1f2329}
.chats a.on{background:#245bdb;color:#fff}
.time form{display:inline-block;margin:0 6px 6px 0}
.feed{display:flex;flex-direction:column;gap:10px;min-height:200px}
.msg{max-width:100%}
.msg .who{font-size:12px;color:#646a73;margin-bottom:2px}
.msg.mine{align-self:flex-end;text-align:right}
.bubble{display:inline-block;padding:8px 12px;border-radius:8px;background:#f2f3f5;white-space:pre-wrap;word-break:break-word;text-align:left}
.mine .bubble{background:#d6e4ff}
.card{border:1px solid #dee0e3;border-radius:8px;overflow:hidden;background:#fff;max-width:640px}
.card header{padding:8px 12px;color:#fff;background:#245bdb}
.card header h3{margin:0;font-size:15px}
.card .subtitle{margin:0;font-size:12px;opacity:.9}
.tone-card-green header{background:#2ea121}.tone-card-orange header{background:#de7802}.tone-card-red header{background:#d83931}
.tone-card-grey header{background:#646a73}.tone-card-purple header{background:#7f3bf5}
.card>.md,.card>.note,.card>.fields,.card>.actions,.card>form,.card>figure{margin:8px 12px}
.card p{margin:4px 0}.card ul{margin:4px 0;padding-left:20px}
.card hr{border:0;border-top:1px solid #eff0f1;margin:6px 0}
.note{font-size:12px;color:#646a73}
.fields{display:grid;grid-template-columns:auto 1fr;gap:2px 10px}.fields dt{font-weight:600}.fields dd{margin:0}
.tone-red{color:#d83931}.tone-orange{color:#de7802}.tone-green{color:#2ea121}.tone-grey{color:#8f959e}
.actions{display:flex;flex-wrap:wrap;gap:6px}
.card-button{margin:0}
fieldset{border:0;padding:0;margin:0 0 8px}
legend{font-weight:600;padding:0}
input[type=text],input[type=date],select,textarea{display:block;width:100%;margin:4px 0;padding:7px 8px;border:1px solid #d0d3d6;border-radius:6px;font:inherit;background:#fff}
.btn{padding:7px 14px;border-radius:6px;border:1px solid #d0d3d6;background:#fff;font:inherit;cursor:pointer}
.btn-primary{background:#245bdb;border-color:#245bdb;color:#fff}.btn-danger{background:#fff;border-color:#f54a45;color:#d83931}
.say{display:flex;gap:6px;margin-top:12px}.say input{flex:1;margin:0}
.flash{margin:0 0 10px;padding:8px 12px;border-radius:6px;background:#e8f3ff;border:1px solid #bacefd}
.hint{font-size:12px;color:#646a73}
.chart .bar{display:flex;align-items:center;gap:6px;font-size:13px}.bar-label{width:7em}.bar-fill{height:10px;background:#245bdb;border-radius:3px}
.page{max-width:680px;margin:20px auto;background:#fff;border-radius:8px;padding:18px}
.survey h1{font-size:20px;margin:0 0 6px}.pledges{background:#fff7e8;border-radius:8px;padding:8px 12px;margin:10px 0}.pledges h2{font-size:16px;margin:4px 0}.pledges h3{font-size:14px;margin:8px 0 2px}.pledges ul{margin:2px 0 6px;padding-left:18px}.member-pledge{border-top:1px dashed #f0d9a8;padding-top:4px}.survey .choices{margin:14px 0}.survey legend{font-weight:600;margin-bottom:6px}
.choice{display:flex;align-items:center;gap:10px;padding:12px;margin:6px 0;border:1px solid #d0d3d6;border-radius:8px;font-size:17px}
.choice input{width:22px;height:22px}.req{color:#d83931;font-weight:400}.opt{color:#646a73;font-weight:400}
.table{width:100%;border-collapse:collapse;font-size:14px;margin:10px 0}.table th,.table td{border-bottom:1px solid #e5e6eb;padding:6px 4px;text-align:left;vertical-align:top}.table ul{margin:2px 0;padding-left:16px}.table th,.table td:nth-child(-n+2){white-space:nowrap}.scroll{overflow-x:auto}
.big{width:100%;padding:14px;font-size:18px}.errors{background:#fff0f0;border:1px solid #f8b4b4;border-radius:8px;padding:8px 12px;color:#a11}
.print{max-width:190mm;margin:0 auto;background:#fff;padding:10mm}.plaque{text-align:center;border:2px solid #c8161d;border-radius:6px;padding:8mm;margin-bottom:8mm}
.plaque h1{color:#c8161d;font-size:28px;margin:0}.plaque-kind{font-size:20px;font-weight:700;color:#c8161d;margin:0 0 6px}.plaque-pledge{text-align:left;display:inline-block;margin:6px auto;font-size:15px}
.plaque.post{width:148mm;min-height:105mm;margin:0 auto 8mm}.plaque.post .qr svg{width:40mm;height:40mm}.plaque-sub{font-size:18px;margin:4px 0 10px}.qr svg{width:60mm;height:60mm}.url{font-size:11px;color:#646a73;word-break:break-all}
.slips{display:grid;grid-template-columns:repeat(3,1fr);gap:0}.slip{border:1px dashed #8f959e;padding:4mm;text-align:center;page-break-inside:avoid}
.qr-small svg{width:32mm;height:32mm}.code{font-family:monospace;font-size:16px;letter-spacing:1px}
.certificate{border:6px double #c8161d;border-radius:4px;padding:14mm 16mm;min-height:150mm;position:relative;background:#fffdf7}
.cert-head{text-align:center;color:#c8161d;font-size:40px;font-weight:700;letter-spacing:16px;margin:0 0 10mm}.cert-body{font-size:20px;line-height:2;margin:0 0 4mm}
.cert-foot{display:flex;justify-content:space-between;align-items:flex-end;margin-top:10mm}.cert-sign{text-align:right;font-size:18px;margin:0}
@media print{.noprint{display:none}.print{padding:0}}
@media(min-width:860px){.layout{flex-direction:row;align-items:flex-start}.side{width:300px;flex:none}.main{flex:1}}
@media print{.top,.side,.say,.time,.actions{display:none}body{background:#fff}}
`;
