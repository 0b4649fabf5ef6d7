// The one catalogue of every label the UI shows (design.md: "every label comes
// from one catalogue"). Japanese is the default; English is the second
// language. Both objects must have exactly the same keys (see i18n.test.ts).
// Words follow /work/shared/glossary.md.

export const ja = {
  title: 'mamori — 情報セキュリティ管理',
  productName: 'mamori（守り）',
  productTagline: '情報セキュリティ管理',
  skipToMain: '本文へ移動',
  languageLabel: '表示言語',
  navLabel: 'メインメニュー',
  navDashboard: 'ダッシュボード',
  navDuties: 'やること',
  navApprovals: '申請・承認',
  navLedgers: '台帳',
  navMyNumber: 'マイナンバー',
  comingSoon: '準備中',
  comingSoonBody: 'この画面は準備中です。',
  today: '本日',
  labelSeparator: '：',
  serverStatusHeading: 'サーバーの状態',
  serverStatus: '状態',
  serverVersion: 'バージョン',
  serverSchema: 'データベースのスキーマ',
  serverCheckedAt: '確認日時',
  statusOk: '正常',
  statusUnknown: '不明',
  loading: '確認しています…',
  serverUnreachable: 'サーバーに接続できません。',
  recheck: '再確認',
}

export type Messages = typeof ja
export type MessageKey = keyof Messages

export const en: Messages = {
  title: 'mamori — Information security management',
  productName: 'mamori (守り)',
  productTagline: 'Information security management',
  skipToMain: 'Skip to main content',
  languageLabel: 'Language',
  navLabel: 'Main menu',
  navDashboard: 'Dashboard',
  navDuties: 'To do',
  navApprovals: 'Requests & approvals',
  navLedgers: 'Ledgers',
  navMyNumber: 'My Number',
  comingSoon: 'Coming soon',
  comingSoonBody: 'This page is not available yet.',
  today: 'Today',
  labelSeparator: ': ',
  serverStatusHeading: 'Server status',
  serverStatus: 'Status',
  serverVersion: 'Version',
  serverSchema: 'Database schema',
  serverCheckedAt: 'Checked at',
  statusOk: 'OK',
  statusUnknown: 'Unknown',
  loading: 'Checking…',
  serverUnreachable: 'Cannot reach the server.',
  recheck: 'Check again',
}

export const catalogues = { ja, en } as const
export type Lang = keyof typeof catalogues
export const LANGS: readonly Lang[] = ['ja', 'en']
export const DEFAULT_LANG: Lang = 'ja'

const STORAGE_KEY = 'mamori.lang'

/** The language chosen earlier on this browser, else Japanese. */
export function storedLang(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Lang {
  try {
    const v = storage?.getItem(STORAGE_KEY)
    return v === 'ja' || v === 'en' ? v : DEFAULT_LANG
  } catch {
    return DEFAULT_LANG // storage disabled (private mode, policy)
  }
}

export function storeLang(lang: Lang, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(STORAGE_KEY, lang)
  } catch {
    // not remembered; the switch still works for this page
  }
}

/** Make the document itself follow the language: <html lang> and <title>. */
export function applyLangToDocument(lang: Lang, doc: Document = document): void {
  doc.documentElement.lang = lang
  doc.title = catalogues[lang].title
}
