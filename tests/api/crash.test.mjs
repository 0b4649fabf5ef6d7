// Durability: a writer killed with SIGKILL in the middle of a burst of writes loses no event it
// reported as committed, and the trail still verifies. Repeated, with kills at varying moments.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { BIN, freshDataDir, init, run, startServer } from '../lib/mamori.mjs'
import { sql } from './sql.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// Starts `journal add --stdin`, feeds it lines, and collects the ids it prints after each commit.
function writer(dir, tag) {
  const proc = spawn(BIN, ['journal', 'add', '--stdin', '--data', dir], { stdio: ['pipe', 'pipe', 'pipe'] })
  const committed = []
  let buf = ''
  proc.stdout.setEncoding('utf8').on('data', (s) => {
    buf += s
    const lines = buf.split('\n')
    buf = lines.pop()
    for (const l of lines) if (l) committed.push(Number(l))
  })
  proc.stdin.on('error', () => {}) // EPIPE once killed
  let i = 0
  const feed = setInterval(() => {
    if (!proc.stdin.writable) return
    proc.stdin.write(Array.from({ length: 20 }, () => `${tag} 記録 ${++i}`).join('\n') + '\n')
  }, 2)
  const exited = new Promise((r) => proc.once('exit', (code, sig) => r(sig ?? code)))
  return {
    committed,
    async kill() {
      clearInterval(feed)
      proc.kill('SIGKILL')
      assert.equal(await exited, 'SIGKILL')
    },
  }
}

function assertNothingLost(dir, committed) {
  const ids = new Set(sql(dir, 'SELECT id FROM journal_entry;').split('\n').filter(Boolean).map(Number))
  for (const id of committed) assert.ok(ids.has(id), `journal entry ${id} was reported committed but is gone`)
  // every journal entry has its audit event (same transaction): none without the other
  assert.equal(
    sql(dir, "SELECT count(*) FROM journal_entry WHERE CAST(id AS TEXT) NOT IN (SELECT target_id FROM audit_event WHERE action = 'journal.add');"),
    '0')
  assert.equal(Number(sql(dir, "SELECT count(*) FROM audit_event WHERE action = 'journal.add';")), ids.size)
  const v = run(['audit', 'verify', '--data', dir])
  assert.equal(v.code, 0, `trail broken after kill: ${v.stderr}`)
}

test('a CLI writer killed with SIGKILL mid-burst loses no committed event (repeated)', async () => {
  const dir = freshDataDir()
  init(dir)
  const all = []
  for (let round = 0; round < 6; round++) {
    const w = writer(dir, `round${round}`)
    await sleep(150 + round * 60)
    await w.kill()
    assert.ok(w.committed.length > 0, `round ${round}: the writer committed nothing before the kill`)
    all.push(...w.committed)
    assertNothingLost(dir, all)
  }
})

test('two concurrent writers and a server killed with SIGKILL lose nothing and keep one chain', async () => {
  const dir = freshDataDir()
  init(dir)
  const all = []
  for (let round = 0; round < 3; round++) {
    const server = await startServer(dir)
    const a = writer(dir, `a${round}`)
    const b = writer(dir, `b${round}`)
    await sleep(200)
    server.proc.kill('SIGKILL')
    await sleep(50 + round * 40)
    await a.kill()
    await b.kill()
    all.push(...a.committed, ...b.committed)
    assertNothingLost(dir, all)
  }
})
