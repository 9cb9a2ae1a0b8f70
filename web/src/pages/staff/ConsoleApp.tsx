/** The staff console at `/`: login, then a layout with the user, language and logout, and the pages. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { ApiError } from '../../api/client.js';
import { useI18n } from '../../i18n.js';
import { AuthProvider, useAuth } from './auth.js';
import { Branches } from './Branches.js';
import { CaseDetail } from './CaseDetail.js';
import { Cases } from './Cases.js';
import { DeskInterview } from './DeskInterview.js';
import { ExpertDesk } from './ExpertDesk.js';
import { Login } from './Login.js';
import { NotFound } from './NotFound.js';
import { Overview } from './Overview.js';
import { RecordingDetail } from './RecordingDetail.js';
import { Recordings } from './Recordings.js';
import { StaffLayout } from './StaffLayout.js';
import { Users } from './Users.js';

function RequireLogin() {
  const { token } = useAuth();
  if (!token) return <Navigate to="/login" replace />;
  return <StaffLayout />;
}

export default function ConsoleApp() {
  const { lang } = useI18n();
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            // A refusal will not change by asking again; a network blip may.
            retry: (n, e) => n < 2 && !(e instanceof ApiError && e.status >= 400 && e.status < 500),
            refetchOnWindowFocus: false,
          },
        },
      }),
  );
  return (
    <ConfigProvider locale={lang === 'en-US' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <Routes>
              <Route path="/login" element={<Login />} />
              <Route element={<RequireLogin />}>
                <Route index element={<Overview />} />
                <Route path="branches" element={<Branches />} />
                <Route path="users" element={<Users />} />
                <Route path="cases" element={<Cases />} />
                <Route path="cases/:id" element={<CaseDetail />} />
                <Route path="desk" element={<ExpertDesk />} />
                <Route path="desk/:sessionId" element={<DeskInterview />} />
                <Route path="recordings" element={<Recordings />} />
                <Route path="recordings/:sessionId" element={<RecordingDetail />} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </AuthProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
