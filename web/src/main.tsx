import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'smarthr-ui/smarthr-ui.css'
import './app.css'
import { App } from './App'
import { applyLangToDocument, storedLang } from './i18n'

// Set <html lang> and the title before the first render, so a reader of
// English never sees the Japanese title flash.
const lang = storedLang()
applyLangToDocument(lang)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App initialLang={lang} />
  </StrictMode>,
)
