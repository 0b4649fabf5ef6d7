// 本人確認書類の画像 in the browser, with [mynumber] document_images = yes: the handler opens a subject,
// reads that the images are deleted when the identity check is recorded, keeps a PNG (a PDF's claim is
// not needed: the server tells the type by the bytes), opens it in a new tab (200, image/png, no-store),
// records the identity check, and the list is empty again. No console error, no CSP violation, no
// unexpected HTTP error.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Client, firstLogin, setPolicy, setup, STRONG } from '../api/client.mjs'
import { launchBrowser, startServer } from '../lib/mamori.mjs'
import { openPage, shot, signIn } from './browser.mjs'

let browser
let server

before(async () => {
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  if (server) assert.equal(await server.stop(), 0, server.stderr)
})

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 0x42)])

test('the handler keeps an image of a 本人確認 document, views it, and recording the check deletes it', async () => {
  const { dir, admin, clock } = setup()
  setPolicy(dir, 'mynumber', 'document_images', 'yes')
  server = await startServer(dir, { env: clock.env })
  const officer = new Client(server.url)
  await firstLogin(officer, admin.login, admin.password, clock)
  const people = {}
  for (const [key, login, roles] of [['handler', 'tanaka', ['mynumber_handler']], ['manager', 'takahashi', ['mynumber_manager']], ['employee', 'sato', ['employee']]]) {
    const p = await officer.post('/api/people', { employee_no: `E-${login}`, name: `${login} 太郎`, name_kana: 'タロウ', employment_type: 'regular' })
    assert.equal(p.status, 201, p.text)
    const a = await officer.post('/api/accounts', { person_id: p.body.id, login, roles })
    assert.equal(a.status, 201, a.text)
    const c = new Client(server.url)
    people[key] = { c, login, person: p.body.id, account: a.body.id, ...(await firstLogin(c, login, a.body.password, clock, STRONG)) }
  }
  let r = await people.manager.c.put(`/api/mynumber/scopes/${people.handler.account}`, { purposes: ['withholding'] })
  assert.equal(r.status, 200, r.text)
  r = await people.handler.c.post('/api/mynumber/subjects', { kind: 'employee', person_id: people.employee.person, name: '佐藤 太郎', name_kana: 'サトウ タロウ', purposes: ['withholding'] })
  assert.equal(r.status, 201, r.text)
  const subject = r.body.id

  const h = await openPage(browser)
  const page = h.page
  await page.goto(server.url + '/')
  await signIn(page, people.handler, clock, h.allowHttp)
  await page.goto(`${server.url}/#/mynumber/subjects/${subject}`)
  await page.getByRole('heading', { name: '本人確認書類の画像' }).waitFor()
  await page.getByText('本人確認を記録すると、保管中の画像はすべて削除されます。').waitFor()
  await page.getByText('保管中の画像はありません。').waitFor()

  // no file chosen: the error is next to the field
  await page.getByRole('button', { name: '画像を保管' }).click()
  await page.getByText('ファイルを選んでください。').waitFor()
  await page.getByLabel('書類の区分').selectOption('number')
  await page.locator('.mn-docs-upload input[type=file]').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: PNG })
  await page.getByRole('button', { name: '画像を保管' }).click()
  const table = page.getByRole('table', { name: '本人確認書類の画像' })
  await table.getByRole('cell', { name: '番号確認書類', exact: true }).waitFor()
  await table.getByRole('cell', { name: 'PNG', exact: true }).waitFor()
  await page.screenshot({ path: shot('mynumber-documents'), fullPage: true })

  // 表示 opens the image in a new tab, uncached
  const [popup, shown] = await Promise.all([
    page.waitForEvent('popup'),
    page.context().waitForEvent('response', (res) => /\/api\/mynumber\/documents\/\d+$/.test(res.url())),
    page.getByRole('link', { name: '番号確認書類の画像を新しいタブで表示' }).click(),
  ])
  assert.equal(shown.status(), 200)
  assert.equal(shown.headers()['content-type'], 'image/png')
  assert.match(shown.headers()['cache-control'], /no-store/)
  await popup.close()

  // recording the identity check deletes the image
  await page.getByRole('button', { name: '本人確認を記録' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('番号確認の書類').selectOption({ index: 1 })
  await dialog.getByLabel('身元確認の書類').selectOption({ index: 1 })
  await dialog.getByRole('button', { name: '記録する' }).click()
  await page.getByText('保管中の画像はありません。').waitFor()
  assert.equal(await table.count(), 0)
  h.check()
})
