// The README's backup and restore procedure, run exactly as written, while the server is running.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { freshDataDir, init, run, startServer } from '../lib/mamori.mjs'

const sh = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8' })

test('an online backup restores into a directory that verifies against the checkpoint', async () => {
  const src = freshDataDir()
  init(src)
  run(['journal', 'add', '--data', src, '--category', 'backup', 'バックアップ前の記録'])
  const server = await startServer(src)
  const base = dirname(src)
  const bak = join(base, 'mamori-backup')
  const keys = join(base, 'keys-backup')

  // backup (README: バックアップ) — the checkpoint first, so the backup contains it
  const cp = run(['audit', 'checkpoint', '--data', src])
  assert.equal(cp.code, 0, cp.stderr)
  writeFileSync(join(base, 'checkpoint.txt'), cp.stdout)
  mkdirSync(bak, { mode: 0o700 })
  sh('sqlite3', [join(src, 'mamori.db'), `.backup '${join(bak, 'mamori.db')}'`])
  sh('cp', ['-p', join(src, 'policy.ini'), bak])
  sh('cp', ['-rp', join(src, 'keys'), keys])

  // later changes are not in the backup
  run(['journal', 'add', '--data', src, 'バックアップ後の記録'])
  assert.equal(await server.stop(), 0)

  // restore (README: 復元)
  const dst = join(base, 'restored')
  mkdirSync(dst, { mode: 0o700 })
  sh('cp', ['-p', join(bak, 'mamori.db'), join(bak, 'policy.ini'), dst])
  sh('cp', ['-rp', keys, join(dst, 'keys')])
  const v = run(['audit', 'verify', '--data', dst, '--checkpoint', join(base, 'checkpoint.txt')])
  assert.equal(v.code, 0, v.stderr)
  const list = JSON.parse(run(['journal', 'list', '--json', '--data', dst]).stdout)
  assert.deepEqual(list.map((e) => e.text), ['バックアップ前の記録'])
})
