// The monthly compliance report for the information-security committee (src/workflow/report.c) from
// the outside: with the test clock moving, a duty completed in a month is listed in that month's
// report, a duty overdue at a month's end stays overdue in that month's report even once completed
// later, violations are those of the time of the report; the HTML page escapes every value and
// carries its own CSP, the XLSX opens in LibreOffice with one sheet per part; GET
// /api/reports/compliance and `mamori check report` agree; who may not read the check gets 403.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { run } from './client.mjs'
import { sql } from './sql.mjs'
import { world as shared } from './world.mjs'

// A server made at the test clock's start (2027-04-01 09:00 JST) with the officer and one account
// per role (as in check.test.mjs).
async function world(roles) {
  return shared(roles, { names: Object.fromEntries(roles.map((r, i) => [r, `社員 ${i + 1}`])) })
}

// A GET with the binary answer kept as bytes.
async function raw(c, path) {
  const res = await fetch(c.url + path, { headers: c.cookie ? { cookie: c.cookie } : {} })
  const buf = Buffer.from(await res.arrayBuffer())
  let body = null
  try { body = JSON.parse(buf.toString('utf8')) } catch { body = null }
  return { status: res.status, headers: res.headers, buf, text: buf.toString('utf8'), body }
}

// RFC 4180 rows (quoted cells may hold commas, quotes and line breaks).
function parseCsv(text) {
  const rows = []
  let row = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++ } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"' && cell === '') quoted = true
    else if (ch === ',') { row.push(cell); cell = '' } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(cell); rows.push(row); row = []; cell = ''
    } else cell += ch
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row) }
  return rows
}

const report = async (c, month) => {
  const r = await c.get(`/api/reports/compliance?month=${month}`)
  assert.equal(r.status, 200, r.text)
  return r.body
}
const codes = (list) => list.map((x) => x.code).sort()
const EVIDENCE = '<script>alert("x")</script> 教育計画 & 記録は \\\\nas\\教育'

test('the monthly compliance report: completed, overdue at the month end, violations; HTML, XLSX, CLI', async () => {
  const w = await world(['sysadmin', 'employee', 'auditor', 'education_lead'])
  try {
    const { officer, sysadmin, employee, auditor, education_lead } = w.who
    // April: the education plan is made; a PC whose screen lock waits 30 minutes (ipa-sme: 5)
    await w.at('2027-04-20T10:00:00')
    let r = await officer.c.post('/api/duties/education_plan/completions', { evidence: EVIDENCE, findings: '特になし' })
    assert.equal(r.status, 201, r.text)
    r = await sysadmin.c.post('/api/registers/devices/records', { asset_no: 'PC-030', kind: 'notebook', introduced_on: '2027-04-01', model: 'ThinkPad X1', location: '本社 2F', manager: sysadmin.person, status: 'in_use', screen_lock_minutes: 30 })
    assert.equal(r.status, 201, r.text)

    // 3 May: the monthly log review (due 05-01) is overdue and not done
    await w.at('2027-05-03T09:00:00')
    let may = await report(officer.c, '2027-05')
    assert.deepEqual([may.month, may.from, may.to, may.as_of_date], ['2027-05', '2027-05-01', '2027-05-31', '2027-05-03'])
    assert.deepEqual(may.completed, [])
    assert.ok(codes(may.overdue).includes('log_review'), JSON.stringify(may.overdue))
    assert.deepEqual(codes(may.violations), ['screen_lock'])
    assert.match(may.violations[0].source, /./)
    // who must act on it, from the profile ([violation] screen_lock, ipa-sme)
    assert.deepEqual([may.violations[0].owner, may.violations[0].owner_label, may.violations[0].owner_key], ['sysadmin', 'システム管理者', '[violation] screen_lock'])
    assert.deepEqual(may.counts, { completed: 0, overdue: may.overdue.length, violations: 1, hidden: 0 })
    // April: the plan done, with who, when, evidence and findings; nothing overdue at 04-30
    const april = await report(auditor.c, '2027-04')
    assert.equal(april.as_of, '2027-04-30T14:59:59.999Z', 'the last moment of April in Japan')
    assert.equal(april.completed.length, 1)
    const done = april.completed[0]
    assert.deepEqual([done.code, done.owner, done.owner_label, done.completed_by, done.completed_at_local, done.evidence, done.findings],
      ['education_plan', 'education_lead', '教育責任者', officer.login, '2027-04-20 10:00', EVIDENCE, '特になし'])
    assert.match(done.title, /教育計画/)
    assert.match(done.source, /004/)
    assert.ok(!codes(april.overdue).includes('log_review'))

    // the HTML page: every value escaped, no script, its style allowed by hash only
    r = await raw(officer.c, '/api/reports/compliance?month=2027-04&format=html')
    assert.equal(r.status, 200, r.text)
    assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/)
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename="compliance-202704.html"')
    const html = r.text
    assert.match(html, /^<!DOCTYPE html>\n<html lang="ja">/)
    assert.match(html, /<h1>情報セキュリティ委員会 月次コンプライアンス報告（2027年4月）<\/h1>/)
    assert.ok(!/<script/i.test(html), 'no script element, not even from the evidence')
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 教育計画 &amp; 記録は \\\\nas\\教育'), 'the evidence, escaped')
    assert.ok(html.includes('<td>特になし</td>'))
    assert.ok(html.includes(`<td>${officer.login}</td>`))
    assert.match(html, /<h2>実施済みの義務（1件）<\/h2>/)
    assert.match(html, /<h2>違反（1件）<\/h2>/)
    assert.match(html, /画面ロック/)
    assert.match(html, /<th scope="col">担当（役割）<\/th><th scope="col">根拠規程<\/th><\/tr><\/thead>\n<tbody>\n<tr><td>画面ロックの時間が上限を超えている<\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>システム管理者<\/td>/)
    const style = html.match(/<style>([^<]*)<\/style>/)[1]
    const csp = r.headers.get('content-security-policy')
    assert.ok(csp.includes(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`), csp)
    assert.match(csp, /default-src 'none'/)
    assert.ok(!/unsafe-inline|script-src/.test(csp), csp)

    // 2 June: the log review is done at last; May's report still shows it overdue at 05-31
    await w.at('2027-06-02T11:00:00')
    r = await sysadmin.c.post('/api/duties/log_review/completions', { evidence: '4・5月分のログを点検', findings: '異常なし' })
    assert.equal(r.status, 201, r.text)
    may = await report(officer.c, '2027-05')
    assert.equal(may.as_of_date, '2027-05-31')
    assert.ok(codes(may.overdue).includes('log_review'), 'overdue at the end of May')
    assert.deepEqual(may.completed, [])
    const june = await report(sysadmin.c, '2027-06')
    assert.deepEqual(june.completed.map((c) => [c.code, c.completed_by, c.due_on, c.evidence]), [['log_review', sysadmin.login, '2027-05-01', '4・5月分のログを点検']])
    assert.ok(!codes(june.overdue).includes('log_review'), 'done now')

    // the XLSX: a ZIP with one sheet per part, which LibreOffice reads with the Japanese headers
    r = await raw(officer.c, '/api/reports/compliance?month=2027-05&format=xlsx')
    assert.equal(r.status, 200, r.text)
    assert.match(r.headers.get('content-type'), /spreadsheetml/)
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename="compliance-202705.xlsx"')
    assert.deepEqual([...r.buf.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a ZIP file')
    const tmp = mkdtempSync(join(tmpdir(), 'mamori-report-'))
    writeFileSync(join(tmp, 'may.xlsx'), r.buf)
    writeFileSync(join(tmp, 'june.xlsx'), (await raw(officer.c, '/api/reports/compliance?month=2027-06&format=xlsx')).buf)
    // token 12 = -1: every sheet to its own file, NAME-SHEET.csv
    const lo = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${tmp}/profile`,
      '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', join(tmp, 'out'),
      join(tmp, 'may.xlsx'), join(tmp, 'june.xlsx')],
    { env: { ...process.env, HOME: tmp }, encoding: 'utf8', timeout: 180_000 })
    assert.equal(lo.status, 0, `soffice: ${lo.error || ''} ${lo.stderr}`)
    const sheet = (book, name) => parseCsv(readFileSync(join(tmp, 'out', `${book}-${name}.csv`), 'utf8').replace(/^\uFEFF/, ''))
    assert.deepEqual(readdirSync(join(tmp, 'out')).filter((f) => f.startsWith('may-')).sort(),
      ['may-概要.csv', 'may-実施済みの義務.csv', 'may-期限超過の義務.csv', 'may-違反.csv'].sort(), lo.stdout)
    const summary = sheet('may', '概要')
    assert.deepEqual(summary[0], ['項目', '内容'])
    assert.deepEqual(summary.find((x) => x[0] === '対象月'), ['対象月', '2027-05（2027-05-01〜2027-05-31）'])
    assert.deepEqual(summary.find((x) => x[0] === '違反（作成時点）'), ['違反（作成時点）', '1'])
    const overdue = sheet('may', '期限超過の義務')
    assert.deepEqual(overdue[0], ['期限', '義務', '対象', '担当（役割）', '根拠規程'])
    const lr = overdue.find((x) => /アクセスログ/.test(x[1]))
    assert.ok(lr, JSON.stringify(overdue))
    assert.match(lr[0], /2027.0?5.0?1|0?5.0?1.(20)?27/, `a date cell: ${lr[0]}`)
    assert.equal(lr[3], 'システム管理者')
    assert.match(lr[4], /000 【５】/)
    const vio = sheet('may', '違反')
    assert.deepEqual(vio[0], ['違反', '内容', '対象', '担当（役割）', '根拠規程'])
    assert.equal(vio.length, 2)
    assert.match(vio[1][0], /画面ロック/)
    assert.match(vio[1][2], /devices #/)
    assert.equal(vio[1][3], 'システム管理者')
    assert.match(vio[1][4], /004 7章3\.2/)
    assert.deepEqual(sheet('may', '実施済みの義務'), [['義務', '担当（役割）', '実施者', '実施日時', '対応した期限', '証跡', '指摘事項', '根拠規程']])
    const jdone = sheet('june', '実施済みの義務')
    assert.equal(jdone.length, 2)
    assert.deepEqual([jdone[1][1], jdone[1][2], jdone[1][3], jdone[1][5], jdone[1][6]], ['システム管理者', sysadmin.login, '2027-06-02 11:00', '4・5月分のログを点検', '異常なし'])
    assert.match(jdone[1][0], /アクセスログ/)

    // every report is 出力 in the audit trail, naming the month and format, never the texts
    const ev = sql(w.dir, "SELECT actor || '|' || access || '|' || target_id || '|' || details FROM audit_event WHERE action = 'report.compliance' ORDER BY seq;").split('\n')
    assert.equal(ev.length, 7, ev.join('\n'))
    assert.match(ev[0], new RegExp(`^${officer.login}\\|output\\|2027-05\\|\\{"format":"json"`))
    assert.ok(ev.some((e) => /\|2027-04\|\{"format":"html","completed":1/.test(e)), ev.join('\n'))
    assert.ok(ev.every((e) => !e.includes('教育計画') && !e.includes('点検')), 'no evidence in the trail')

    // who may not read the check: 403; bad months and formats: 422
    assert.equal((await employee.c.get('/api/reports/compliance?month=2027-05')).status, 403)
    assert.equal((await education_lead.c.get('/api/reports/compliance?month=2027-05&format=html')).status, 403)
    for (const q of ['month=2027-5', 'month=2027-13', 'month=2027/05', 'month=', '', 'month=2027-05x', 'month=2027-07', 'month=2027-05&format=pdf']) {
      r = await officer.c.get(`/api/reports/compliance?${q}`)
      assert.equal(r.status, 422, `${q}: ${r.text}`)
      assert.equal(r.body.errors[0].field, q.includes('pdf') ? 'format' : 'month', q)
    }
    assert.equal(r.body.errors[0].rule, 'choice')

    // the CLI: the same report, to a file it never overwrites
    const out = join(tmp, 'june.html')
    let cli = run(['check', 'report', '--month', '2027-06', '--format', 'html', '--output', out, '--data', w.dir], { env: w.clock.env })
    assert.equal(cli.code, 0, cli.stderr)
    const page = readFileSync(out, 'utf8')
    assert.match(page, /月次コンプライアンス報告（2027年6月）/)
    assert.ok(page.includes('<td>4・5月分のログを点検</td>'))
    cli = run(['check', 'report', '--month', '2027-06', '--format', 'html', '--output', out, '--data', w.dir], { env: w.clock.env })
    assert.equal(cli.code, 1, 'an existing file is not overwritten')
    cli = run(['check', 'report', '--month', '2027-04', '--data', w.dir], { env: w.clock.env })
    assert.equal(cli.code, 0, cli.stderr)
    assert.deepEqual(JSON.parse(cli.stdout).completed.map((c) => c.evidence), [EVIDENCE])
    cli = run(['check', 'report', '--month', '2027-05', '--format', 'xlsx', '--output', join(tmp, 'cli.xlsx'), '--data', w.dir], { env: w.clock.env })
    assert.equal(cli.code, 0, cli.stderr)
    assert.deepEqual([...readFileSync(join(tmp, 'cli.xlsx')).subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04])
    assert.notEqual(run(['check', 'report', '--month', '2027-13', '--data', w.dir], { env: w.clock.env }).code, 0)
    assert.equal(run(['check', 'report', '--data', w.dir], { env: w.clock.env }).code, 2)
    assert.equal(run(['check', 'report', '--month', '2027-05', '--format', 'pdf', '--data', w.dir], { env: w.clock.env }).code, 2)
    assert.ok(!existsSync(join(w.dir, 'tmp')) || readdirSync(join(w.dir, 'tmp')).length === 0, 'no temporary file left behind')
    assert.equal(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'report.compliance' AND actor LIKE 'cli:%';"), '3')
  } finally {
    await w.stop()
  }
})
