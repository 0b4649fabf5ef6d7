// The browser shell against the real `mamori serve`: Japanese by default,
// English on request (remembered), dashboard shows /healthz, keyboard and
// landmarks work, and nothing breaks under the server's strict CSP.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { ROOT, freshDataDir, init, launchBrowser, startServer } from '../lib/mamori.mjs'

const SHOTS = join(ROOT, 'build', 'e2e')
const TITLE_JA = 'mamori — 情報セキュリティ管理'
const TITLE_EN = 'mamori — Information security management'
const NAV_JA = ['ダッシュボード', 'やること', '申請・承認', '台帳', 'マイナンバー']
const NAV_EN = ['Dashboard', 'To do', 'Requests & approvals', 'Ledgers', 'My Number']

let server, browser, health

before(async () => {
  const dataDir = freshDataDir()
  init(dataDir)
  server = await startServer(dataDir)
  health = await (await fetch(`${server.url}/healthz`)).json()
  browser = await launchBrowser()
  mkdirSync(SHOTS, { recursive: true })
})

after(async () => {
  await browser?.close()
  if (server) {
    const code = await server.stop()
    assert.equal(code, 0, `mamori serve exited with ${code} after SIGTERM:\n${server.stderr}`)
  }
})

/**
 * A fresh browser context and page that records every console error, page
 * error, CSP violation and failed request; check() asserts there were none.
 */
async function openPage() {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const problems = []
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`))
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`)
  })
  // Init scripts run through DevTools, outside the page's CSP.
  await page.exposeFunction('__mamoriCspViolation', (v) => problems.push(`CSP violation: ${v}`))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__mamoriCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
    )
  })
  return {
    page,
    context,
    check() {
      assert.deepEqual(problems, [], 'the page reported problems')
    },
  }
}

/** The visible labels of the main navigation. */
const navLabels = (page) => page.getByRole('navigation').getByRole('link').allInnerTexts()

test('the server sends the CSP the UI is built for', async () => {
  const res = await fetch(`${server.url}/`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/)
  const csp = res.headers.get('content-security-policy') ?? ''
  assert.match(csp, /script-src 'self'(;|$)/)
  assert.match(csp, /style-src 'self'(;|$)/)
  const html = await res.text()
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'inline <script> in index.html')
  assert.doesNotMatch(html, /<style|\sstyle=/, 'inline style in index.html')
})

test('Japanese shell with landmarks, dashboard status and skip link', async () => {
  const { page, context, check } = await openPage()
  await page.goto(`${server.url}/`)
  assert.equal(await page.title(), TITLE_JA)
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja')

  // Landmarks: banner (header), navigation, main.
  await page.getByRole('banner').getByText('mamori（守り）').waitFor()
  assert.deepEqual(await navLabels(page), NAV_JA)
  assert.equal(await page.getByRole('main').count(), 1)
  assert.equal(await page.getByRole('link', { name: 'ダッシュボード' }).getAttribute('aria-current'), 'page')

  // The dashboard shows what GET /healthz says.
  const status = page.locator('.health[data-status]')
  await status.waitFor()
  assert.equal(await status.getAttribute('data-status'), 'ok')
  assert.match(await status.innerText(), /正常/)
  assert.equal(await page.locator('.health-version').innerText(), health.version)
  // Dates as 2026/04/01.
  assert.match(await page.getByRole('main').innerText(), /本日：\d{4}\/\d{2}\/\d{2}（令和\d+年）/)

  // Keyboard: the skip link is the first Tab stop, and it moves focus to main.
  await page.keyboard.press('Tab')
  assert.deepEqual(await page.evaluate(() => [document.activeElement?.className, document.activeElement?.textContent]), [
    'skip-link',
    '本文へ移動',
  ])
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')
  await page.mouse.click(1, 799) // drop focus so the screenshot shows no ring
  await page.screenshot({ path: join(SHOTS, 'shell-ja.png'), fullPage: true })
  check()
  await context.close()
})

test('navigation works from the keyboard and other pages say 準備中', async () => {
  const { page, context, check } = await openPage()
  await page.goto(`${server.url}/`)
  await page.locator('.health[data-status]').waitFor()
  // Tab past the skip link, the brand link and the language switch to reach the nav.
  const duties = page.getByRole('link', { name: 'やること' })
  for (let i = 0; i < 12 && !(await duties.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab')
  assert.ok(await duties.evaluate((el) => el === document.activeElement), 'Tab never reached やること')
  // The focus ring is visible (an outline, not none).
  assert.notEqual(await duties.evaluate((el) => getComputedStyle(el).outlineStyle), 'none')
  await page.keyboard.press('Enter')
  await page.waitForURL(/#\/duties$/)
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'やること')
  assert.match(await page.getByRole('main').innerText(), /準備中/)
  assert.equal(await duties.getAttribute('aria-current'), 'page')

  // A deep link opens the page directly; the server only serves / for it.
  await page.goto(`${server.url}/#/mynumber`)
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'マイナンバー')
  check()
  await context.close()
})

test('switching to English changes labels, lang and title, and survives a reload', async () => {
  const { page, context, check } = await openPage()
  await page.goto(`${server.url}/`)
  await page.getByRole('radio', { name: 'English' }).click()
  await page.waitForFunction(() => document.documentElement.lang === 'en')
  assert.equal(await page.title(), TITLE_EN)
  assert.deepEqual(await navLabels(page), NAV_EN)

  await page.reload()
  await page.locator('.health[data-status="ok"]').waitFor()
  assert.equal(await page.locator('html').getAttribute('lang'), 'en')
  assert.equal(await page.title(), TITLE_EN)
  assert.deepEqual(await navLabels(page), NAV_EN)
  assert.match(await page.locator('.health').innerText(), /\bOK\b/)
  assert.match(await page.getByRole('main').innerText(), /Today: \d{4}\/\d{2}\/\d{2}/)
  await page.screenshot({ path: join(SHOTS, 'shell-en.png'), fullPage: true })

  // And back to Japanese.
  await page.getByRole('radio', { name: '日本語' }).click()
  await page.waitForFunction(() => document.documentElement.lang === 'ja')
  assert.deepEqual(await navLabels(page), NAV_JA)
  check()
  await context.close()
})
