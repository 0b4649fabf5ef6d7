// The command line: help, exit codes, init and the data directory's permissions, the policy
// profiles, and the operation journal (運用日誌).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { freshDataDir, init, run } from '../lib/mamori.mjs'
import { count, sql } from './sql.mjs'

const mode = (p) => statSync(p).mode & 0o777

test('mamori --help lists the commands and each command has --help', () => {
  const r = run(['--help'])
  assert.equal(r.code, 0)
  for (const c of ['init', 'serve', 'demo', 'policy', 'audit', 'journal']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`))
  for (const c of ['init', 'serve', 'demo', 'policy', 'audit', 'journal']) {
    const h = run([c, '--help'])
    assert.equal(h.code, 0, c)
    assert.match(h.stdout, new RegExp(`usage: mamori ${c}`))
  }
})

test('unknown commands and options are usage errors (exit 2) naming what was wrong', () => {
  let r = run(['frobnicate'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /unknown command 'frobnicate'/)
  r = run(['journal', 'list', '--bogus'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /unknown option '--bogus'/)
  r = run([])
  assert.equal(r.code, 2)
})

test('init creates a private data directory, keys and database, and prints a one-time password', () => {
  const dir = freshDataDir()
  const { login, password } = init(dir)
  assert.equal(login, 'officer')
  assert.ok(password.length >= 16)
  assert.equal(mode(dir), 0o700)
  assert.equal(mode(join(dir, 'keys')), 0o700)
  for (const f of ['keys/master.key', 'keys/audit-sign.key', 'policy.ini', 'mamori.db'])
    assert.equal(mode(join(dir, f)), 0o600, f)
  assert.equal(statSync(join(dir, 'keys/master.key')).size, 32)
  assert.equal(sql(dir, 'PRAGMA journal_mode;'), 'wal')
  // the password is stored only as an Argon2id hash, and must be changed first
  const row = sql(dir, "SELECT password_hash, must_change_password FROM account WHERE login = 'officer';")
  assert.match(row, /^\$argon2id\$.*\|1$/)
  assert.ok(!row.includes(password))
  // init is on the audit trail
  assert.match(sql(dir, 'SELECT group_concat(action) FROM audit_event;'), /datadir\.init,account\.create,role\.grant/)
})

test('init refuses an existing directory and changes nothing in it', () => {
  const dir = freshDataDir()
  mkdirSync(dir)
  writeFileSync(join(dir, 'keep.txt'), 'mine')
  const r = run(['init', '--data', dir])
  assert.equal(r.code, 1)
  assert.match(r.stderr, /already exists/)
  assert.equal(statSync(join(dir, 'keep.txt')).size, 4)
})

test('init refuses a forbidden or malformed admin login and an unknown profile, leaving no directory', () => {
  for (const [args, re] of [
    [['--admin', 'admin'], /login 'admin' is not allowed/],
    [['--admin', 'root'], /login 'root' is not allowed/],
    [['--admin', 'Bad Name'], /admin/],
    [['--profile', 'nope'], /unknown profile 'nope'/],
  ]) {
    const dir = freshDataDir()
    const r = run(['init', '--data', dir, ...args])
    assert.equal(r.code, 2, args.join(' '))
    assert.match(r.stderr, re)
    assert.throws(() => statSync(dir), /ENOENT/, 'nothing half-made')
  }
})

test('a data directory, key file or policy that others can read is refused', () => {
  for (const target of ['', 'keys', 'keys/master.key', 'keys/audit-sign.key', 'policy.ini']) {
    const dir = freshDataDir()
    init(dir)
    const p = join(dir, target)
    chmodSync(p, target.endsWith('.key') || target.endsWith('.ini') ? 0o644 : 0o755)
    const r = run(['journal', 'list', '--data', dir])
    assert.equal(r.code, 1, target)
    assert.match(r.stderr, /accessible to other users/)
    assert.ok(r.stderr.includes(p.replace(/\/$/, '')), `names ${p}: ${r.stderr}`)
  }
})

test('a missing data directory says how to create one', () => {
  const r = run(['journal', 'list', '--data', '/nonexistent/mamori'])
  assert.equal(r.code, 1)
  assert.match(r.stderr, /mamori init --data/)
})

test('policy show prints every value with the regulation it comes from', () => {
  const dir = freshDataDir()
  init(dir)
  const r = run(['policy', 'show', '--data', dir])
  assert.equal(r.code, 0)
  assert.match(r.stdout, /profile: ipa-sme/)
  assert.match(r.stdout, /\[password\.privileged\]\nmin_length\s+= 12\s+004 ch5 §9\.3/)
  assert.match(r.stdout, /\[lockout\.general\]\nthreshold\s+= 5 /)
  assert.match(r.stdout, /idle_timeout\s+= 5min\s+004 ch7 §3\.2/)
  const j = JSON.parse(run(['policy', 'show', '--json', '--data', dir]).stdout)
  assert.equal(j['lockout.privileged'].duration.value, '6h')
  assert.equal(j['retention'].access_log.value, 'unset')
})

test('each shipped profile carries its seed values', () => {
  const expect = {
    'standard-2016': { 'password.general': { min_length: '6', min_classes: '2' }, cycle: { security_audit: '1y' } },
    'iso-regulations': { 'password.general': { min_length: '8', history_count: '10', max_age: '3mo' }, device: { screen_lock_pc: '15min', screen_lock_smart: '1min' }, retention: { journal: '5y' } },
    'ipa-sme': { 'password.general': { min_length: '10' }, 'lockout.privileged': { threshold: '3', duration: '6h' }, account: { revoke_deadline: '1d' } },
  }
  for (const [profile, sections] of Object.entries(expect)) {
    const dir = freshDataDir()
    init(dir, ['--profile', profile])
    const j = JSON.parse(run(['policy', 'show', '--json', '--data', dir]).stdout)
    for (const [sec, keys] of Object.entries(sections))
      for (const [k, v] of Object.entries(keys)) assert.equal(j[sec][k].value, v, `${profile} ${sec}.${k}`)
  }
})

test('a changed policy.ini with an unknown key or a bad value is refused naming file, line and reason', () => {
  const dir = freshDataDir()
  init(dir)
  const file = join(dir, 'policy.ini')
  const original = readFileSync(file, 'utf8')
  writeFileSync(file, original.replace('threshold = 5 ', 'threshold = five '), { mode: 0o600 })
  let r = run(['policy', 'show', '--data', dir])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /policy\.ini:\d+: threshold: 'five' is not a whole number/)
  writeFileSync(file, original.replace('[session]', '[session]\ncolour = blue'), { mode: 0o600 })
  r = run(['policy', 'show', '--data', dir])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /policy\.ini:\d+: unknown key 'colour' in \[session\]/)
  // the check subcommand reads any file
  writeFileSync(join(dirname(dir), 'p.ini'), original.replace('duration  = 6h', 'duration  = 6 hours'))
  r = run(['policy', 'check', join(dirname(dir), 'p.ini')])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /p\.ini:\d+: duration: '6 hours' is not a duration/)
})

test('journal add and list, with categories and the MAMORI_NOW clock', () => {
  const dir = freshDataDir()
  init(dir)
  const env = { MAMORI_NOW: '2027-04-01T09:00:00+09:00' }
  let r = run(['journal', 'add', '--data', dir, '--category', 'backup', '週次バックアップ完了'], { env })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.trim(), '1')
  r = run(['journal', 'add', '--data', dir, 'NAS の設定を確認'], { env })
  assert.equal(r.code, 0)
  r = run(['journal', 'list', '--json', '--data', dir])
  const list = JSON.parse(r.stdout)
  assert.equal(list.length, 2)
  assert.equal(list[0].text, 'NAS の設定を確認')
  assert.equal(list[0].category, 'other')
  assert.equal(list[1].category, 'backup')
  assert.equal(list[1].recorded_at, '2027-04-01T00:00:00.000Z')
  assert.match(list[1].author, /^cli:/)
  r = run(['journal', 'list', '--data', dir])
  assert.match(r.stdout, /\[バックアップ\]\n    週次バックアップ完了/)
  // each entry is one audit event, and the text itself is not copied into the trail
  assert.equal(sql(dir, "SELECT count(*) FROM audit_event WHERE action = 'journal.add';"), '2')
  assert.equal(sql(dir, "SELECT count(*) FROM audit_event WHERE details LIKE '%バックアップ%';"), '0')
})

test('bad journal input exits 2 naming the field, and writes nothing', () => {
  const dir = freshDataDir()
  init(dir)
  const before = [count(dir, 'journal_entry'), count(dir, 'audit_event')]
  for (const [args, re] of [
    [['--category', 'party', 'x'], /--category must be one of: login, config, log_storage, backup, error, other/],
    [['   '], /text: text is required|text is required/],
    [['a\u0007b'], /text must be UTF-8 without control characters/],
    [['あ'.repeat(4001)], /at most 4000 characters/],
    [[], /needs TEXT or --stdin/],
  ]) {
    const r = run(['journal', 'add', '--data', dir, ...args])
    assert.equal(r.code, 2, `${args}: ${r.stderr}`)
    assert.match(r.stderr, re)
  }
  assert.deepEqual([count(dir, 'journal_entry'), count(dir, 'audit_event')], before)
})

test('journal entries cannot be edited in place, even with the sqlite3 tool', () => {
  const dir = freshDataDir()
  init(dir)
  run(['journal', 'add', '--data', dir, 'original'])
  const r = spawnSqlite(dir, "UPDATE journal_entry SET body = 'changed';")
  assert.notEqual(r.status, 0)
  assert.match(r.stderr, /append-only/)
})

function spawnSqlite(dir, s) {
  return spawnSync('sqlite3', [join(dir, 'mamori.db'), s], { encoding: 'utf8' })
}
