// Images of 本人確認 documents in the vault (docs/internals/vault.md, "Images of identity documents"):
// refused while the profile keeps none; when it allows them, kept encrypted (never in clear in the data
// directory or the logs), seen only by a handler in scope, every upload, view and purge audited and
// noted in the 取扱記録簿, and erased (rows and bytes) when the identity check is recorded.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { run } from '../lib/mamori.mjs'
import { errorsOf, files } from './client.mjs'
import { sql } from './sql.mjs'
import { world as shared } from './world.mjs'

const CAST = {
  handler: ['mynumber_handler'],
  handler2: ['mynumber_handler'], // a handler the manager gave no scope
  manager: ['mynumber_manager'],
  auditor: ['auditor'],
  employee: ['employee'],
}

async function world(documentImages) {
  const w = await shared(CAST, { policy: documentImages === undefined ? [] : [['mynumber', 'document_images', documentImages]] })
  const r = await w.who.manager.c.put(`/api/mynumber/scopes/${w.who.handler.id}`, { purposes: ['withholding'] })
  assert.equal(r.status, 200, r.text)
  return w
}

// A subject without a number yet: the handler collects the number once the documents are checked.
async function subject(w) {
  const r = await w.who.handler.c.post('/api/mynumber/subjects', { kind: 'employee', person_id: w.who.employee.person, name: '社員 employee', name_kana: 'シャイン', purposes: ['withholding'] })
  assert.equal(r.status, 201, r.text)
  return r.body
}

// Bytes no data directory, log or response may hold in clear: a marker that cannot occur by chance.
const MARK = Buffer.from('MAMORI-DOC-CLEAR-7f3a9c21-個人番号カード-OMOTE')
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff, 0xe0])

// A file with a real PNG or JPEG (or PDF) header, the marker repeated, and some filler.
function fileOf(magic, size = 4096) {
  const body = Buffer.alloc(size, 0x41)
  magic.copy(body, 0)
  for (let at = 64; at + MARK.length < size; at += 512) MARK.copy(body, at)
  return body
}

async function upload(c, id, bytes, { kind = 'number', type = 'image/png' } = {}) {
  const res = await fetch(`${c.url}/api/mynumber/subjects/${id}/documents${kind === null ? '' : `?kind=${kind}`}`, {
    method: 'POST',
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type },
    body: bytes,
  })
  const text = await res.text()
  let body = null
  try { body = JSON.parse(text) } catch { body = null }
  return { status: res.status, body, text, headers: res.headers }
}

async function view(c, docId) {
  const res = await fetch(`${c.url}/api/mynumber/documents/${docId}`, { headers: { cookie: c.cookie } })
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers }
}



// Asserts that no file of the data directory, nor the server's output, holds needle.
function assertNowhere(w, needle, why) {
  for (const f of files(w.dir)) assert.equal(readFileSync(f).indexOf(needle), -1, `${why}: ${f} holds it`)
  assert.ok(!w.server.stderr.includes(needle.toString('latin1')) && !w.server.stdout.includes(needle.toString('latin1')), `${why}: the server's output holds it`)
}

const lastEvents = (w, n) => sql(w.dir, `SELECT actor, action, target_id, access, outcome, details FROM audit_event ORDER BY seq DESC LIMIT ${n};`).split('\n').reverse()

test('document_images = no (the default): an upload is refused naming the field and the rule, and nothing is kept', async () => {
  const w = await world()
  try {
    const s = await subject(w)
    const r = await upload(w.who.handler.c, s.id, fileOf(PNG_MAGIC))
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['file:document_images'])
    assert.equal(r.body.errors[0].message_ja, '本人確認書類の画像は保管しない設定です')
    assert.equal(Number(sql(w.dir, 'SELECT count(*) FROM mn_document;')), 0)
    const list = await w.who.handler.c.get(`/api/mynumber/subjects/${s.id}/documents`)
    assert.equal(list.status, 200, list.text)
    assert.equal(list.body.allowed, false)
    assert.deepEqual(list.body.items, [])
    // who may not collect is refused before the profile is even asked
    for (const key of ['manager', 'auditor', 'employee']) assert.equal((await upload(w.who[key].c, s.id, fileOf(PNG_MAGIC))).status, 403, key)
  } finally {
    await w.stop()
  }
  assertNowhere(w, MARK, 'a refused upload')
})

test('document_images = yes: kept encrypted, seen only by the handler in scope, audited, erased on confirmation', async () => {
  const w = await world('yes')
  const { handler, handler2, manager, auditor, employee } = w.who
  try {
    const s = await subject(w)
    let list = await handler.c.get(`/api/mynumber/subjects/${s.id}/documents`)
    assert.equal(list.body.allowed, true)
    assert.equal(list.body.max_bytes, 5 * 1024 * 1024)

    // wrong type, wrong kind, empty, oversize: refused naming the field and the rule
    let r = await upload(handler.c, s.id, Buffer.concat([Buffer.from('GIF89a'), fileOf(Buffer.alloc(0), 2000)]), { type: 'image/png' })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['file:type'], 'the claimed image/png does not count: the bytes are a GIF')
    r = await upload(handler.c, s.id, Buffer.from('<html><script>alert(1)</script></html>'), { type: 'application/pdf' })
    assert.deepEqual(errorsOf(r), ['file:type'])
    r = await upload(handler.c, s.id, fileOf(PNG_MAGIC), { kind: 'selfie' })
    assert.equal(r.status, 422, r.text)
    assert.deepEqual(errorsOf(r), ['kind:enum'])
    r = await upload(handler.c, s.id, fileOf(PNG_MAGIC), { kind: null })
    assert.deepEqual(errorsOf(r), ['kind:enum'])
    r = await upload(handler.c, s.id, Buffer.alloc(0))
    assert.deepEqual(errorsOf(r), ['file:required'])
    r = await upload(handler.c, s.id, fileOf(PNG_MAGIC, 5 * 1024 * 1024 + 1))
    assert.equal(r.status, 413, r.text)
    assert.deepEqual(errorsOf(r), ['file:max_size'])
    // a body above the HTTP layer's cap for this route (8 MiB) is refused before it is read: 413, or
    // the connection closes while fetch is still sending
    r = await upload(handler.c, s.id, fileOf(PNG_MAGIC, 9 * 1024 * 1024)).catch(() => ({ status: 413 }))
    assert.equal(r.status, 413)
    r = await upload(handler.c, 999999, fileOf(PNG_MAGIC))
    assert.equal(r.status, 404, r.text)
    assert.equal(Number(sql(w.dir, 'SELECT count(*) FROM mn_document;')), 0, 'nothing of the refused uploads is kept')

    // accepted: the type comes from the magic bytes, whatever the client claims
    const png = fileOf(PNG_MAGIC, 300 * 1024)
    const jpeg = fileOf(JPEG_MAGIC, 4096)
    const pdf = fileOf(Buffer.from('%PDF-1.7\n'), 2048)
    r = await upload(handler.c, s.id, png, { type: 'application/octet-stream' })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.content_type, 'image/png')
    assert.equal(r.body.size, png.length)
    const pngDoc = r.body.id
    r = await upload(handler.c, s.id, jpeg, { kind: 'identity', type: 'application/pdf' })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.body.content_type, 'image/jpeg')
    const jpegDoc = r.body.id
    r = await upload(handler.c, s.id, pdf, { kind: 'identity' })
    assert.equal(r.body.content_type, 'application/pdf')
    const pdfDoc = r.body.id
    list = await handler.c.get(`/api/mynumber/subjects/${s.id}/documents`)
    assert.deepEqual(list.body.items.map((d) => [d.id, d.kind, d.content_type, d.size, d.uploaded_by]), [
      [pngDoc, 'number', 'image/png', png.length, handler.login],
      [jpegDoc, 'identity', 'image/jpeg', jpeg.length, handler.login],
      [pdfDoc, 'identity', 'application/pdf', pdf.length, handler.login],
    ])
    assert.ok(!list.text.includes(MARK.toString('latin1')))

    // the handler in scope sees the bytes, never cached
    let v = await view(handler.c, pngDoc)
    assert.equal(v.status, 200)
    assert.ok(v.bytes.equals(png), 'the image comes back as it was sent')
    assert.equal(v.headers.get('content-type'), 'image/png')
    assert.match(v.headers.get('cache-control'), /no-store/)
    assert.equal(v.headers.get('x-content-type-options'), 'nosniff')
    // nobody else does: not the manager, the auditor, an employee, nor a handler without this scope
    const deniedBefore = Number(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'mynumber.document_view' AND outcome = 'denied';"))
    for (const [key, who] of Object.entries({ manager, auditor, employee, handler2 })) {
      v = await view(who.c, pngDoc)
      assert.equal(v.status, 403, `${key} must not see the image`)
      assert.equal(v.bytes.indexOf(MARK), -1)
    }
    assert.equal(Number(sql(w.dir, "SELECT count(*) FROM audit_event WHERE action = 'mynumber.document_view' AND outcome = 'denied';")) - deniedBefore, 1, 'the refused handler is audited (the others are refused at the gate, audited as access.denied)')
    // the manager and the auditor see that images are held (not their content)
    assert.equal((await manager.c.get(`/api/mynumber/subjects/${s.id}/documents`)).body.items.length, 3)
    assert.equal((await employee.c.get(`/api/mynumber/subjects/${s.id}/documents`)).status, 403)

    // at rest: no clear byte in the data directory or the logs, the ciphertext bound to its row
    const stored = sql(w.dir, `SELECT epoch, key_gen, length(ciphertext), substr(ciphertext, 200, 64) FROM mn_document WHERE id = ${pngDoc};`).split('|')
    assert.equal(stored[0], 'open', 'wrapped by the key of the subject\'s retention epoch')
    assert.ok(Number(stored[2]) >= 2 * png.length, 'the ciphertext (hex) is at least as long as the image')
    const cipherSlice = stored[3]
    assert.throws(() => assertNowhere(w, Buffer.from(cipherSlice), 'x'), 'the search finds the ciphertext while it is kept')
    assertNowhere(w, MARK, 'at rest')
    assertNowhere(w, Buffer.from(MARK.toString('hex')), 'at rest, as hex')
    // a ciphertext moved to another row does not open (the AAD binds subject and document)
    sql(w.dir, `UPDATE mn_document SET ciphertext = (SELECT ciphertext FROM mn_document WHERE id = ${pdfDoc}), size = ${pdf.length} WHERE id = ${jpegDoc};`)
    v = await view(handler.c, jpegDoc)
    assert.equal(v.status, 500)
    assert.equal(v.bytes.indexOf(MARK), -1)

    // every upload, view and purge is an audit event with the document, never the content
    const events = sql(w.dir, "SELECT actor, action, target_type, target_id, access, outcome, details FROM audit_event WHERE action LIKE 'mynumber.document_%' ORDER BY seq;")
    assert.ok(!events.includes(MARK.toString('latin1')))
    assert.match(events, new RegExp(`${handler.login}\\|mynumber.document_add\\|mynumber_subject\\|${s.id}\\|create\\|success\\|\\{"document":${pngDoc},"kind":"number","content_type":"image/png","bytes":${png.length}\\}`))
    assert.match(events, new RegExp(`${handler.login}\\|mynumber.document_view\\|mynumber_subject\\|${s.id}\\|read\\|success\\|\\{"document":${pngDoc},`))
    assert.match(events, new RegExp(`${handler2.login}\\|mynumber.document_view\\|mynumber_subject\\|${s.id}\\|read\\|denied`))

    // the explicit purge: the handler erases one image at once
    r = await handler.c.del(`/api/mynumber/documents/${pdfDoc}`)
    assert.equal(r.status, 204, r.text)
    assert.equal((await view(handler.c, pdfDoc)).status, 404)
    assert.equal((await handler.c.del(`/api/mynumber/documents/${pdfDoc}`)).status, 404)
    assert.equal((await auditor.c.del(`/api/mynumber/documents/${jpegDoc}`)).status, 403)

    // the identity check is recorded: every image of the subject goes, rows and bytes
    r = await handler.c.post(`/api/mynumber/subjects/${s.id}/identity-checks`, { number_document: 'individual_number_card', identity_document: 'individual_number_card' })
    assert.equal(r.status, 201, r.text)
    assert.equal((await view(handler.c, pngDoc)).status, 404)
    assert.equal((await view(handler.c, jpegDoc)).status, 404)
    list = await handler.c.get(`/api/mynumber/subjects/${s.id}/documents`)
    assert.deepEqual(list.body.items, [])
    assert.equal(Number(sql(w.dir, 'SELECT count(*) FROM mn_document;')), 0)
    assertNowhere(w, Buffer.from(cipherSlice), 'the erased ciphertext')
    assertNowhere(w, MARK, 'after the purge')
    const purges = sql(w.dir, "SELECT details FROM audit_event WHERE action = 'mynumber.document_purge' ORDER BY seq;").split('\n')
    assert.equal(purges.length, 3)
    assert.match(purges[0], new RegExp(`"document":${pdfDoc},.*"reason":"purge"`))
    assert.match(purges[1], new RegExp(`"document":${pngDoc},.*"reason":"confirmed"`))
    assert.match(purges[2], new RegExp(`"document":${jpegDoc},.*"reason":"confirmed"`))
    // the 取扱記録簿 notes the receipt, the views and the erasures
    const records = (await manager.c.get('/api/mynumber/records')).body.items.filter((i) => i.subject_id === s.id)
    assert.deepEqual(records.map((i) => i.action), ['collect', 'collect', 'collect', 'use', 'deletion', 'deletion', 'deletion'])
    assert.match(records[0].detail, /本人確認書類の画像を受領（番号確認書類、image\/png/)
    assert.match(records[5].detail, /本人確認の記録による/)

    // an image kept after a check awaits the next one
    r = await upload(handler.c, s.id, jpeg, { kind: 'identity' })
    assert.equal(r.status, 201, r.text)
    assert.equal((await view(handler.c, r.body.id)).status, 200)
    assert.equal((await handler.c.get(`/api/mynumber/subjects/${s.id}/documents`)).body.items.length, 1)
    assert.equal(lastEvents(w, 1)[0].split('|')[1], 'mynumber.document_list')
  } finally {
    await w.stop()
  }
  assertNowhere(w, MARK, 'after the server stopped')
})

test('key rotation rewraps the images\' data keys too; a deleted subject keeps no image', async () => {
  const w = await world('yes')
  const { handler } = w.who
  try {
    const s = await subject(w)
    const png = fileOf(PNG_MAGIC, 8192)
    let r = await upload(handler.c, s.id, png)
    assert.equal(r.status, 201, r.text)
    const doc = r.body.id
    const rot = run(['mynumber', 'rotate-keys', '--data', w.dir], { env: w.clock.env })
    assert.equal(rot.code, 0, rot.stderr)
    assert.equal(sql(w.dir, `SELECT key_gen FROM mn_document WHERE id = ${doc};`), '2')
    const v = await view(handler.c, doc)
    assert.equal(v.status, 200)
    assert.ok(v.bytes.equals(png), 'the image still opens after the rotation')
    // the subject's deletion (here as the store does it) takes its images with it
    sql(w.dir, `UPDATE mn_subject SET state = 'deleted' WHERE id = ${s.id};`)
    assert.equal(Number(sql(w.dir, 'SELECT count(*) FROM mn_document;')), 0)
  } finally {
    await w.stop()
  }
})
