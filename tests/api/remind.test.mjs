// E-mail reminders from the outside (src/workflow/reminders.c, src/mail/): a local SMTP sink written
// here with node's `net`, a duty made overdue by moving the test clock, `mamori remind` and the daily
// scheduler of `mamori serve`. The binary runs asynchronously: the sink must answer while it sends.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { dirname } from 'node:path'
import { test } from 'node:test'
import { BIN, freshDataDir, startServer } from '../lib/mamori.mjs'
import { Client, Clock, fastArgon, firstLogin, run, setPolicy } from './client.mjs'
import { sql } from './sql.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// Enough SMTP for libcurl: 220, EHLO/HELO 250, MAIL FROM, RCPT TO, DATA 354 … '.' 250, QUIT 221.
async function smtpSink() {
  const messages = []
  const server = createServer((sock) => {
    let buf = ''
    let inData = false
    let cur = { from: null, rcpt: [], data: '' }
    sock.setEncoding('latin1')
    sock.write('220 sink.test ESMTP\r\n')
    sock.on('data', (chunk) => {
      buf += chunk
      for (let i; (i = buf.indexOf('\r\n')) >= 0;) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 2)
        if (inData) {
          if (line === '.') {
            inData = false
            messages.push(decode(cur))
            cur = { from: null, rcpt: [], data: '' }
            sock.write('250 2.0.0 queued\r\n')
          } else cur.data += (line.startsWith('.') ? line.slice(1) : line) + '\r\n'
          continue
        }
        const cmd = line.slice(0, 4).toUpperCase()
        if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250 sink.test\r\n')
        else if (cmd === 'MAIL') { cur.from = line.match(/<([^>]*)>/)[1]; sock.write('250 2.1.0 ok\r\n') }
        else if (cmd === 'RCPT') { cur.rcpt.push(line.match(/<([^>]*)>/)[1]); sock.write('250 2.1.5 ok\r\n') }
        else if (cmd === 'DATA') { inData = true; sock.write('354 end with .\r\n') }
        else if (cmd === 'QUIT') sock.end('221 2.0.0 bye\r\n')
        else if (cmd === 'RSET' || cmd === 'NOOP') sock.write('250 ok\r\n')
        else sock.write('502 5.5.2 not implemented\r\n')
      }
    })
    sock.on('error', () => {})
  })
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
  return { messages, url: `smtp://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) }
}

// Headers (unfolded, the subject's RFC 2047 words decoded) and the base64 body as text.
function decode({ from, rcpt, data }) {
  const split = data.indexOf('\r\n\r\n')
  const head = data.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const headers = {}
  for (const line of head.split('\r\n')) {
    const c = line.indexOf(':')
    headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim()
  }
  const words = [...headers.subject.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/g)].map((m) => Buffer.from(m[1], 'base64'))
  const subject = words.length ? Buffer.concat(words).toString('utf8') : headers.subject
  const body = Buffer.from(data.slice(split + 4).replace(/\r\n/g, ''), 'base64').toString('utf8')
  return { from, rcpt, raw: data, headers, subject, body }
}

// `mamori ARGS` without blocking the event loop (the sink runs in this process).
function runAsync(args, env) {
  return new Promise((ok) => {
    execFile(BIN, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 }, (e, stdout, stderr) => {
      ok({ code: e ? e.code : 0, stdout, stderr })
    })
  })
}

// A data directory made at 2027-04-01 09:00 JST with, besides the officer: a sysadmin with an
// e-mail address, a sysadmin without one, and an education lead with one. mail is [mail] set up
// before the server starts when given.
async function world(mail = {}) {
  const dir = freshDataDir()
  const clock = new Clock(dirname(dir))
  const made = run(['init', '--data', dir], { env: clock.env })
  assert.equal(made.code, 0, made.stderr)
  const admin = { login: made.stdout.match(/^login: (.+)$/m)[1].trim(), password: made.stdout.match(/^password: (.+)$/m)[1].trim() }
  fastArgon(dir)
  for (const [k, v] of Object.entries(mail)) setPolicy(dir, 'mail', k, v)
  const server = await startServer(dir, { env: clock.env })
  const officer = new Client(server.url)
  await firstLogin(officer, admin.login, admin.password, clock)
  const people = [
    ['E0001', '山田 太郎', 'taro.yamada@example.co.jp', 'sysadmin'],
    ['E0002', '佐藤 花子', '', 'sysadmin'],
    ['E0003', '鈴木 一郎', 'ichiro.suzuki@example.co.jp', 'education_lead'],
  ]
  const logins = []
  const persons = []
  const passwords = []
  for (const [no, name, email, role] of people) {
    const p = await officer.post('/api/people', { employee_no: no, name, name_kana: 'テスト', employment_type: 'regular', email })
    assert.equal(p.status, 201, p.text)
    const login = `u${no.toLowerCase()}`
    const a = await officer.post('/api/accounts', { person_id: p.body.id, login, roles: [role] })
    assert.equal(a.status, 201, a.text)
    logins.push(login)
    persons.push(p.body.id)
    passwords.push(a.body.password)
  }
  return { dir, clock, server, logins, persons, passwords }
}

test('mamori remind: the owner role is reminded once a day; nothing without smtp_url', async () => {
  const sink = await smtpSink()
  const w = await world()
  try {
    assert.equal(await w.server.stop(), 0, w.server.stderr)
    assert.match(w.server.stderr, /reminders: off/)
    // the log review (monthly, owner sysadmin) is overdue from 2027-05-02
    w.clock.ms = Date.parse('2027-05-02T09:00:00+09:00')
    w.clock.write()

    // no SMTP server in the profile: a clear message, exit 1, nothing sent, nothing recorded
    let r = await runAsync(['remind', '--data', w.dir], w.clock.env)
    assert.equal(r.code, 1, r.stdout + r.stderr)
    assert.match(r.stderr, /smtp_url is unset/)
    assert.equal(sink.messages.length, 0)
    assert.equal(sql(w.dir, 'SELECT count(*) FROM reminder;'), '0')

    setPolicy(w.dir, 'mail', 'smtp_url', sink.url)
    setPolicy(w.dir, 'mail', 'from', 'isms@example.co.jp')
    // a dry run shows the message and sends nothing
    r = await runAsync(['remind', '--dry-run', '--data', w.dir], w.clock.env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /would_send ue0001 <taro\.yamada@example\.co\.jp>: 1 件/)
    assert.match(r.stdout, /アクセスログ・ファイアウォールログの点検/)
    assert.match(r.stdout, /nothing sent/)
    assert.equal(sink.messages.length, 0)
    assert.equal(sql(w.dir, 'SELECT count(*) FROM reminder;'), '0')

    r = await runAsync(['remind', '--data', w.dir], w.clock.env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /1 sent, 0 failed, 0 already sent today, 1 without an e-mail address/)
    // only the sysadmin with an address: the other sysadmin has none, the education lead has no items
    assert.equal(sink.messages.length, 1)
    const m = sink.messages[0]
    assert.equal(m.from, 'isms@example.co.jp')
    assert.deepEqual(m.rcpt, ['taro.yamada@example.co.jp'])
    assert.equal(m.headers.to, 'taro.yamada@example.co.jp')
    assert.equal(m.headers.from, 'isms@example.co.jp')
    assert.equal(m.headers['content-type'], 'text/plain; charset=UTF-8')
    assert.equal(m.headers['content-transfer-encoding'], 'base64')
    assert.match(m.headers.date, /^Sun, 02 May 2027 09:00:00 \+0900$/)
    assert.match(m.headers['message-id'], /^<[0-9a-f]{32}@example\.co\.jp>$/)
    assert.match(m.subject, /期限超過 1 件/)
    assert.match(m.subject, /2027-05-02/)
    assert.match(m.body, /^山田 太郎 様/)
    assert.match(m.body, /期限超過の義務/)
    assert.match(m.body, /アクセスログ・ファイアウォールログの点検（前月分）/)
    assert.match(m.body, /期限: 2027-05-01/)
    assert.match(m.body, /根拠: 000 【５】\(ウ\)/)
    assert.doesNotMatch(m.raw, /[^\x00-\x7f]/, 'the message on the wire is 7-bit')

    // recorded: one row, one audit event with the count only (no address)
    assert.equal(sql(w.dir, "SELECT login || ' ' || sent_on || ' ' || items || ' ' || outcome FROM reminder;"), 'ue0001 2027-05-02 1 sent')
    assert.equal(sql(w.dir, "SELECT target_id || ' ' || outcome || ' ' || details FROM audit_event WHERE action = 'reminder.send';"), 'ue0001 success {"items":1}')
    assert.equal(run(['audit', 'verify', '--data', w.dir], { env: w.clock.env }).code, 0)

    // the same Japan day again: nothing new
    w.clock.advance(6 * 3600)
    r = await runAsync(['remind', '--data', w.dir], w.clock.env)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /0 sent, 0 failed, 1 already sent today/)
    assert.equal(sink.messages.length, 1)
    assert.equal(sql(w.dir, 'SELECT count(*) FROM reminder;'), '1')
    // the next day (still overdue): reminded again
    w.clock.advance(12 * 3600)
    r = await runAsync(['remind', '--data', w.dir], w.clock.env)
    assert.equal(r.code, 0, r.stderr)
    assert.equal(sink.messages.length, 2)
    assert.match(sink.messages[1].subject, /2027-05-03/)
  } finally {
    await sink.close()
  }
})

test('mamori serve: the scheduler sends at daily_at (Japan time) once a day and stops on SIGTERM', async () => {
  const sink = await smtpSink()
  const w = await world({ smtp_url: sink.url, from: 'isms@example.co.jp', daily_at: '10:00' })
  try {
    assert.match(w.server.stderr, /reminders: every day at 10:00/)
    // overdue, but before 10:00: nothing yet
    w.clock.ms = Date.parse('2027-05-02T09:59:50+09:00')
    w.clock.write()
    await sleep(2500)
    assert.equal(sink.messages.length, 0)
    // the clock passes 10:00: the scheduler sends within a few seconds
    w.clock.advance(15)
    for (let i = 0; i < 100 && sink.messages.length === 0; i++) await sleep(100)
    assert.equal(sink.messages.length, 1, w.server.stderr)
    assert.deepEqual(sink.messages[0].rcpt, ['taro.yamada@example.co.jp'])
    assert.match(sink.messages[0].body, /アクセスログ・ファイアウォールログの点検/)
    // the log line follows the message: the sink may have it a moment before the scheduler logs
    for (let i = 0; i < 50 && !/reminders of 2027-05-02: 1 sent/.test(w.server.stderr); i++) await sleep(100)
    assert.match(w.server.stderr, /reminders of 2027-05-02: 1 sent/)
    // later the same day: nothing more
    w.clock.advance(3 * 3600)
    await sleep(2500)
    assert.equal(sink.messages.length, 1)
    assert.equal(sql(w.dir, "SELECT sent_by || ' ' || outcome FROM reminder;"), 'system:scheduler sent')
    assert.equal(sql(w.dir, "SELECT actor FROM audit_event WHERE action = 'reminder.send';"), 'system:scheduler')
    // `mamori remind` the same day agrees that it is done
    const r = await runAsync(['remind', '--data', w.dir], w.clock.env)
    assert.match(r.stdout, /0 sent, 0 failed, 1 already sent today/)
    assert.equal(sink.messages.length, 1)
  } finally {
    assert.equal(await w.server.stop(), 0, w.server.stderr)
    await sink.close()
  }
  assert.doesNotMatch(w.server.stderr, /taro\.yamada/, 'no address in the server log')
})

test('the profile refuses a password in smtp_url and a bad from or daily_at', async () => {
  const dir = freshDataDir()
  assert.equal(run(['init', '--data', dir]).code, 0)
  for (const [key, value, msg] of [
    ['smtp_url', 'smtp://user:secret@mail.example.co.jp:587', /smtp_url/],
    ['smtp_url', 'http://mail.example.co.jp', /smtp_url/],
    ['from', 'not an address', /from/],
    ['daily_at', '25:00', /daily_at/],
  ]) {
    setPolicy(dir, 'mail', key, value)
    const r = run(['remind', '--dry-run', '--data', dir])
    assert.equal(r.code, 2, `${key} = ${value}: ${r.stdout}${r.stderr}`)
    assert.match(r.stderr, msg)
    assert.doesNotMatch(r.stderr, /secret/, 'the refused value is not echoed when it may hold a password')
    setPolicy(dir, 'mail', key, key === 'daily_at' ? '08:00' : 'unset')
  }
})

test('mamori remind: a violation goes to its owner role, and a copy to [mail] violations_to', async () => {
  const sink = await smtpSink()
  const w = await world({ smtp_url: sink.url, from: 'isms@example.co.jp', daily_at: 'unset' })
  try {
    // a PC whose screen lock waits 30 minutes (ipa-sme: 5): [violation] screen_lock = sysadmin
    const sysadmin = new Client(w.server.url)
    await firstLogin(sysadmin, w.logins[0], w.passwords[0], w.clock)
    const r0 = await sysadmin.post('/api/registers/devices/records', { asset_no: 'PC-030', kind: 'notebook', introduced_on: '2027-04-01', model: 'ThinkPad X1', location: '本社 2F', manager: w.persons[0], status: 'in_use', screen_lock_minutes: 30 })
    assert.equal(r0.status, 201, r0.text)
    assert.equal(await w.server.stop(), 0, w.server.stderr)
    w.clock.ms = Date.parse('2027-04-02T09:00:00+09:00')
    w.clock.write()

    // violations_to is the security officer, whose account has no person: only the owner's mail
    let r = await runAsync(['remind', '--data', w.dir], w.clock.env)
    assert.equal(r.code, 0, r.stderr)
    assert.equal(sink.messages.length, 1, r.stdout)
    let m = sink.messages[0]
    assert.deepEqual(m.rcpt, ['taro.yamada@example.co.jp'])
    assert.match(m.subject, /違反 1 件/)
    assert.match(m.body, /■ 違反\r\n・画面ロックの時間が上限を超えている：PC-030 の画面ロックが 30 分/)
    assert.match(m.body, /担当: システム管理者\r\n  根拠: 004 7章3\.2/)

    // the next day, the education lead gets a copy as [mail] violations_to; the owner still gets it
    setPolicy(w.dir, 'mail', 'violations_to', 'security_officer,education_lead')
    w.clock.advance(24 * 3600)
    r = await runAsync(['remind', '--data', w.dir], w.clock.env)
    assert.equal(r.code, 0, r.stderr)
    assert.equal(sink.messages.length, 3, r.stdout)
    const to = sink.messages.slice(1).map((x) => x.rcpt[0]).sort()
    assert.deepEqual(to, ['ichiro.suzuki@example.co.jp', 'taro.yamada@example.co.jp'])
    m = sink.messages.slice(1).find((x) => x.rcpt[0] === 'ichiro.suzuki@example.co.jp')
    assert.match(m.body, /画面ロック/)
    assert.match(m.body, /担当: システム管理者/)

    // the profile moves the violation to another role: the sysadmin is no longer reminded of it
    setPolicy(w.dir, 'violation', 'screen_lock', 'education_lead')
    setPolicy(w.dir, 'mail', 'violations_to', 'unset')
    w.clock.advance(24 * 3600)
    r = await runAsync(['remind', '--data', w.dir], w.clock.env)
    assert.equal(r.code, 0, r.stderr)
    assert.equal(sink.messages.length, 4, r.stdout)
    m = sink.messages[3]
    assert.deepEqual(m.rcpt, ['ichiro.suzuki@example.co.jp'])
    assert.match(m.body, /担当: 教育責任者/)
  } finally {
    await sink.close()
  }
})

test('mamori remind: the requests waiting for an account\'s decision are in its message, never its own', async () => {
  const sink = await smtpSink()
  const w = await world({ smtp_url: sink.url, from: 'isms@example.co.jp', daily_at: 'unset' })
  try {
    // ipa-sme: software installation is permitted by the system administrator (004 ch7 §1.1)
    const taro = new Client(w.server.url)
    await firstLogin(taro, w.logins[0], w.passwords[0], w.clock)
    let r = await taro.post('/api/approvals', { type: 'software_install', subject: '画像編集ソフト', title: '画像編集ソフトの導入', due_on: '2027-04-03' })
    assert.equal(r.status, 201, r.text)
    const own = r.body.id
    const ichiro = new Client(w.server.url)
    await firstLogin(ichiro, w.logins[2], w.passwords[2], w.clock)
    r = await ichiro.post('/api/approvals', { type: 'software_install', subject: '研修用ソフト', title: '研修用動画ソフトの導入', due_on: '2027-04-03' })
    assert.equal(r.status, 201, r.text)
    const theirs = r.body.id
    assert.equal(await w.server.stop(), 0, w.server.stderr)
    w.clock.ms = Date.parse('2027-04-04T09:00:00+09:00')
    w.clock.write()
    r = await runAsync(['remind', '--data', w.dir], w.clock.env)
    assert.equal(r.code, 0, r.stderr)
    const m = sink.messages.find((x) => x.rcpt[0] === 'taro.yamada@example.co.jp')
    assert.ok(m, r.stdout)
    assert.match(m.subject, /承認待ち 1 件/)
    assert.match(m.body, new RegExp(`■ 承認待ちの申請\\r\\n・申請 #${theirs} ソフトウェアの導入：研修用動画ソフトの導入\\r\\n  申請者: ${w.logins[2]}  期限: 2027-04-03（期限超過）`))
    assert.ok(!m.body.includes(`申請 #${own} `), 'never one\'s own request')
    assert.ok(!sink.messages.some((x) => x.rcpt[0] === 'ichiro.suzuki@example.co.jp' && /承認待ち/.test(x.body)), 'only those who may decide')
  } finally {
    await sink.close()
  }
})
