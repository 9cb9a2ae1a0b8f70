import {
  ApartmentOutlined,
  DashboardOutlined,
  AuditOutlined,
  FileSearchOutlined,
  LogoutOutlined,
  SolutionOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Alert, Button, Layout, Menu, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { errorText } from '../../components/errorText.js';
import { useI18n, type Lang } from '../../i18n.js';
import { useAuth } from './auth.js';
import { useMe } from './queries.js';

export function StaffLayout() {
  const { t, lang, setLang } = useI18n();
  const { api, signOut } = useAuth();
  const me = useMe();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const can = (p: string) => me.data?.permissions.includes(p) ?? false;

  const logout = async () => {
    try {
      await api.call(api.typed.POST('/api/v1/auth/logout'));
    } catch {
      // The token is forgotten here either way; an expired one cannot be revoked twice.
    }
    signOut();
  };

  const items = [
    { key: '/', icon: <DashboardOutlined />, label: t('console.nav.overview') },
    { key: '/branches', icon: <ApartmentOutlined />, label: t('console.nav.branches') },
    ...(can('user:read') ? [{ key: '/users', icon: <TeamOutlined />, label: t('console.nav.users') }] : []),
    ...(can('case:read') || can('review:read') || can('audit:read')
      ? [{ key: '/cases', icon: <FileSearchOutlined />, label: t('console.nav.cases') }]
      : []),
    ...(can('review:opinion')
      ? [{ key: '/desk', icon: <SolutionOutlined />, label: t('console.nav.desk') }]
      : []),
    ...(can('recording:read')
      ? [{ key: '/recordings', icon: <AuditOutlined />, label: t('console.nav.recordings') }]
      : []),
  ];
  const branchName = me.data ? (lang === 'en-US' ? me.data.branch.name_en : me.data.branch.name) : '';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={200} theme="dark">
        <div style={{ color: '#fff', padding: '16px 20px', fontWeight: 600, fontSize: 16 }}>
          {lang === 'en-US' ? 'weidai' : '智能微贷'}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[pathname === '/' ? '/' : `/${pathname.split('/')[1]}`]}
          items={items}
          onClick={(e) => navigate(e.key)}
          data-testid="nav"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Text strong>{t('console.title')}</Typography.Text>
          <Space size="middle" data-testid="user-bar">
            {me.data && (
              <>
                <span data-testid="user-name">{me.data.display_name}</span>
                <Tag color="blue">{t(`role.${me.data.role}`)}</Tag>
                <Typography.Text type="secondary">{branchName}</Typography.Text>
              </>
            )}
            <Segmented<Lang>
              size="small"
              value={lang}
              onChange={setLang}
              options={[
                { label: '中文', value: 'zh-CN' },
                { label: 'English', value: 'en-US' },
              ]}
              data-testid="console-lang"
            />
            <Button icon={<LogoutOutlined />} onClick={logout} data-testid="logout">
              {t('console.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          {me.isPending && <Spin />}
          {me.isError && <Alert type="error" showIcon message={errorText(t, me.error)} />}
          {me.data && <Outlet />}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
