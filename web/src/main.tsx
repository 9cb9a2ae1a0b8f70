import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { I18nProvider } from './i18n.js';

// Each audience loads only its own UI kit: the applicant's phone never downloads Ant Design's desktop components.
const ChatPage = lazy(() => import('./pages/applicant/ChatPage.js'));
const ConsoleApp = lazy(() => import('./pages/staff/ConsoleApp.js'));

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <BrowserRouter>
        <Suspense fallback={null}>
          <Routes>
            <Route path="/i/:token" element={<ChatPage />} />
            <Route path="/*" element={<ConsoleApp />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </I18nProvider>
  </StrictMode>,
);
