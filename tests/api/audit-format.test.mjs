// docs/internals/audit-trail.md promises that an auditor can check the trail with other tools.
// This test does exactly that: the hash with coreutils' b2sum, the signature with Node's own
// Ed25519 — no mamori code involved.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createPublicKey, verify } from 'node:crypto'
import { test } from 'node:test'
import { freshDataDir, init, run } from '../lib/mamori.mjs'
import { sql } from './sql.mjs'

const FIELDS = ['prev_hash', 'seq', 'started_at', 'ended_at', 'actor', 'action', 'target_type', 'target_id', 'access', 'outcome', 'client', 'details']

function field(s) {
  const b = Buffer.from(String(s), 'utf8')
  const len = Buffer.alloc(4)
  len.writeUInt32BE(b.length)
  return Buffer.concat([len, b])
}

test('each event hash is BLAKE2b-256 of the documented encoding (checked with b2sum)', () => {
  const dir = freshDataDir()
  init(dir)
  run(['journal', 'add', '--data', dir, '日本語の記録 with "quotes"'])
  const rows = JSON.parse(sql(dir, `.mode json\nSELECT ${FIELDS.join(', ')}, hash FROM audit_event ORDER BY seq;`))
  let prev = '0'.repeat(64)
  for (const row of rows) {
    assert.equal(row.prev_hash, prev, `event ${row.seq} links to the one before`)
    const bytes = Buffer.concat([field('mamori-audit-v1'), ...FIELDS.map((f) => field(row[f]))])
    const b2 = spawnSync('b2sum', ['-l', '256'], { input: bytes, encoding: 'utf8' })
    assert.equal(b2.status, 0)
    assert.equal(b2.stdout.split(' ')[0], row.hash, `event ${row.seq}`)
    prev = row.hash
  }
})

test('a printed checkpoint verifies with any Ed25519 implementation', () => {
  const dir = freshDataDir()
  init(dir)
  const text = run(['audit', 'checkpoint', '--data', dir]).stdout
  const lines = text.split('\n')
  const signed = Buffer.from(lines.slice(0, 5).join('\n') + '\n', 'utf8')
  const pk = lines[4].replace('public-key: ', '')
  const sig = Buffer.from(lines[5].replace('signature: ', ''), 'hex')
  // SubjectPublicKeyInfo for Ed25519 is a fixed 12-byte prefix and the 32-byte key
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pk, 'hex')]), format: 'der', type: 'spki' })
  assert.ok(verify(null, signed, key, sig))
  assert.ok(!verify(null, Buffer.from(signed.toString().replace('events: ', 'events: 1')), key, sig))
  // and the head is the hash of the event numbered `events`
  const events = lines[1].replace('events: ', '')
  assert.equal(sql(dir, `SELECT hash FROM audit_event WHERE seq = ${events};`), lines[2].replace('head: ', ''))
})
