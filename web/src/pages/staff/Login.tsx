import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { errorText } from '../../components/errorText.js';
import { useI18n, type Lang } from '../../i18n.js';
import { useAuth } from './auth.js';

export function Login() {
  const { api, token, signIn } = useAuth();
  const { lang, setLang, t } = useI18n();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (token) return <Navigate to="/" replace />;

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.call(api.typed.POST('/api/v1/auth/login', { body: v }));
      signIn(r.access_token);
      navigate('/', { replace: true });
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#f0f2f5',
        padding: 16,
      }}
    >
      <Card style={{ width: 380, maxWidth: '100%' }} data-testid="login">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('console.title')}
          </Typography.Title>
          <Segmented<Lang>
            size="small"
            value={lang}
            onChange={setLang}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'English', value: 'en-US' },
            ]}
          />
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('console.login.heading')}
        </Typography.Paragraph>
        {error && (
          <Alert
            type="error"
            showIcon
            message={error}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('console.login.username')}
            rules={[
              {
                required: true,
                message: t('console.login.required', { field: t('console.login.username') }),
              },
            ]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" data-testid="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('console.login.password')}
            rules={[
              {
                required: true,
                message: t('console.login.required', { field: t('console.login.password') }),
              },
            ]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('console.login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
