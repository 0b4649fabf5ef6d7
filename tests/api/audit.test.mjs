// The audit trail against tampering through the sqlite3 tool: a field edited, an event deleted,
// two events swapped, and the last events dropped (caught by a checkpoint kept elsewhere).
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { freshDataDir, init, run } from '../lib/mamori.mjs'
import { dropGuards, sql } from './sql.mjs'

// A data directory whose trail holds 3 events from init and n journal events.
function trail(n = 10) {
  const dir = freshDataDir()
  init(dir)
  const r = run(['journal', 'add', '--stdin', '--data', dir], {
    input: Array.from({ length: n }, (_, i) => `点検記録 ${i + 1}`).join('\n'),
  })
  assert.equal(r.code, 0, r.stderr)
  return dir
}

const verify = (dir, ...args) => run(['audit', 'verify', '--data', dir, ...args])

function assertBad(r, seq, re) {
  assert.equal(r.code, 1, `verify should fail: ${r.stdout}${r.stderr}`)
  assert.match(r.stdout, new RegExp(`^bad event: ${seq}$`, 'm'))
  assert.match(r.stderr, new RegExp(`NOT INTACT at event ${seq}: .*${re.source}`))
}

test('an intact trail verifies with exit 0', () => {
  const dir = trail()
  const r = verify(dir)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^intact: 13 events, head [0-9a-f]{64}, \d+ checkpoints? checked$/m)
})

test('the trail cannot be changed by accident: the table is append-only', () => {
  const dir = trail(1)
  const r = run(['audit', 'verify', '--data', dir])
  assert.equal(r.code, 0)
  assert.throws(() => sql(dir, "UPDATE audit_event SET actor = 'x' WHERE seq = 1;"), /append-only/)
  assert.throws(() => sql(dir, 'DELETE FROM audit_event WHERE seq = 1;'), /append-only/)
})

test('a field of one event edited is detected and the event named', () => {
  for (const [col, value] of [['actor', "'cli:mallory'"], ['details', "'{}'"], ['started_at', "'2020-01-01T00:00:00.000Z'"], ['access', "'read'"]]) {
    const dir = trail()
    sql(dir, dropGuards + `UPDATE audit_event SET ${col} = ${value} WHERE seq = 7;`)
    assertBad(verify(dir), 7, /altered/)
  }
})

test('text hidden after a NUL byte in a field is detected (it would not be hashed)', () => {
  for (const col of ['actor', 'details', 'client', 'prev_hash']) {
    const dir = trail()
    sql(dir, dropGuards + `UPDATE audit_event SET ${col} = ${col} || char(0) || '追記された文' WHERE seq = 6;`)
    assertBad(verify(dir), 6, /NUL byte/)
  }
})

test('an edited event whose hash was recomputed by hand is still caught by the next link', () => {
  const dir = trail()
  // the attacker rewrites event 5 and stores a made-up hash: event 6 no longer links to it
  sql(dir, dropGuards + "UPDATE audit_event SET outcome = 'failure', hash = printf('%064d', 0) WHERE seq = 5;")
  assertBad(verify(dir), 5, /altered/)
})

test('one event deleted is detected and the missing event named', () => {
  const dir = trail()
  sql(dir, dropGuards + 'DELETE FROM audit_event WHERE seq = 8;')
  assertBad(verify(dir), 8, /missing/)
})

test('two events swapped is detected at the first of them', () => {
  const dir = trail()
  sql(dir, dropGuards + `
    UPDATE audit_event SET seq = -1 WHERE seq = 6;
    UPDATE audit_event SET seq = 6 WHERE seq = 7;
    UPDATE audit_event SET seq = 7 WHERE seq = -1;`)
  assertBad(verify(dir), 6, /does not follow event 5/)
})

test('the last events dropped are detected against a checkpoint exported earlier', () => {
  const dir = trail()
  const cp = run(['audit', 'checkpoint', '--data', dir])
  assert.equal(cp.code, 0, cp.stderr)
  assert.match(cp.stdout, /^mamori audit checkpoint v1\nevents: 14\nhead: [0-9a-f]{64}\ntime: .*\npublic-key: [0-9a-f]{64}\nsignature: [0-9a-f]{128}\n$/)
  const file = join(dirname(dir), 'checkpoint.txt')
  writeFileSync(file, cp.stdout)
  run(['journal', 'add', '--data', dir, 'after the checkpoint'])
  assert.equal(verify(dir, '--checkpoint', file).code, 0)
  // drop the newest events and every stored checkpoint, as someone covering tracks would
  sql(dir, dropGuards + 'DELETE FROM audit_event WHERE seq > 11; DELETE FROM audit_checkpoint;')
  assert.equal(verify(dir).code, 0, 'without the checkpoint, a clean truncation cannot be seen')
  assertBad(verify(dir, '--checkpoint', file), 12, /covers 14 events but the trail ends at event 11/)
})

test('a rollback to an older copy with different later events is detected against the checkpoint', () => {
  const dir = trail(3)
  const cp = run(['audit', 'checkpoint', '--data', dir]).stdout
  const file = join(dirname(dir), 'cp.txt')
  writeFileSync(file, cp)
  // rewrite history from event 4 on, recomputing nothing: replace with a forged, self-consistent tail
  sql(dir, dropGuards + 'DELETE FROM audit_event WHERE seq >= 4; DELETE FROM audit_checkpoint;')
  run(['journal', 'add', '--stdin', '--data', dir], { input: 'a\nb\nc\nd' })
  assert.equal(verify(dir).code, 0, 'the forged tail is self-consistent')
  assertBad(verify(dir, '--checkpoint', file), 7, /does not match the checkpoint given/)
})

test('a forged or damaged checkpoint file is refused', () => {
  const dir = trail(2)
  const cp = run(['audit', 'checkpoint', '--data', dir]).stdout
  const file = join(dirname(dir), 'cp.txt')
  writeFileSync(file, cp.replace(/events: \d+/, 'events: 3'))
  assertBad(verify(dir, '--checkpoint', file), 3, /invalid signature/)
  writeFileSync(file, cp.replace(/^head: .*$/m, 'head: xyz'))
  const r = verify(dir, '--checkpoint', file)
  assert.equal(r.code, 2)
  assert.match(r.stderr, /line 3 must be "head: " and 64 hex digits/)
  // signed by another data directory's key
  const other = trail(2)
  writeFileSync(file, run(['audit', 'checkpoint', '--data', other]).stdout)
  assertBad(verify(dir, '--checkpoint', file), 6, /signed by another key/)
})

test('stored checkpoints are made automatically every N events (profile [audit])', () => {
  const dir = freshDataDir()
  init(dir)
  const ini = join(dir, 'policy.ini')
  const text = readFileSync(ini, 'utf8')
  writeFileSync(ini, text.replace(/checkpoint_events\s+= 1000/, 'checkpoint_events = 5'), { mode: 0o600 })
  run(['journal', 'add', '--stdin', '--data', dir], { input: Array.from({ length: 12 }, (_, i) => `e${i}`).join('\n') })
  // 3 init events sealed at once (a fresh trail starts the clock), then every 5 events
  assert.equal(sql(dir, 'SELECT group_concat(events) FROM audit_checkpoint;'), '1,6,11')
  assert.equal(verify(dir).code, 0)
  // a stored checkpoint with a broken signature is reported
  sql(dir, "UPDATE audit_checkpoint SET head_hash = printf('%064d', 1) WHERE events = 6;")
  assertBad(verify(dir), 6, /does not match stored checkpoint|invalid signature/)
})
