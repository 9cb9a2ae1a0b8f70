import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { errorText } from '../../components/errorText.js';
import { useI18n } from '../../i18n.js';
import { useAuth } from './auth.js';
import { useBranches, useMe, useUsers, type User, type UserCreate } from './queries.js';

const ROLES: readonly User['role'][] = [
  'admin',
  'loan_officer',
  'remote_expert',
  'compliance',
  'risk_manager',
  'auditor',
];

function CreateUser({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t, lang } = useI18n();
  const { api } = useAuth();
  const { message } = App.useApp();
  const branches = useBranches();
  const qc = useQueryClient();
  const [form] = Form.useForm<UserCreate>();
  const create = useMutation({
    mutationFn: (body: UserCreate) => api.call(api.typed.POST('/api/v1/users', { body })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['users'] });
      message.success(t('console.users.created'));
      form.resetFields();
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('console.users.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      {create.isError && (
        <Alert type="error" showIcon message={errorText(t, create.error)} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} requiredMark={false}>
        <Form.Item name="username" label={t('console.users.username')} rules={[{ required: true }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="display_name" label={t('console.users.displayName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('console.users.role')} rules={[{ required: true }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        <Form.Item name="branch_id" label={t('console.users.branch')} rules={[{ required: true }]}>
          <Select
            loading={branches.isPending}
            options={(branches.data ?? []).map((b) => ({
              value: b.id,
              label: lang === 'en-US' ? b.name_en : b.name,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('console.users.password')}
          extra={t('console.users.passwordRule')}
          rules={[{ required: true, min: 10 }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function Users() {
  const { t, lang } = useI18n();
  const me = useMe();
  const users = useUsers();
  const branches = useBranches();
  const [creating, setCreating] = useState(false);
  const branchName = (id: string) => {
    const b = branches.data?.find((x) => x.id === id);
    return b ? (lang === 'en-US' ? b.name_en : b.name) : id;
  };
  if (users.isError) return <Alert type="error" showIcon message={errorText(t, users.error)} />;
  return (
    <Card
      title={t('console.nav.users')}
      data-testid="users"
      extra={
        me.data?.permissions.includes('user:write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('console.users.create')}
          </Button>
        )
      }
    >
      <Table<User>
        rowKey="id"
        loading={users.isPending}
        dataSource={users.data ?? []}
        size="middle"
        columns={[
          { title: t('console.users.username'), dataIndex: 'username' },
          { title: t('console.users.displayName'), dataIndex: 'display_name' },
          { title: t('console.users.role'), dataIndex: 'role', render: (r: string) => t(`role.${r}`) },
          { title: t('console.users.branch'), dataIndex: 'branch_id', render: branchName },
          {
            title: t('console.users.status'),
            key: 'status',
            render: (_, u) =>
              u.disabled ? (
                <Tag>{t('console.users.disabled')}</Tag>
              ) : u.locked_until && new Date(u.locked_until) > new Date() ? (
                <Tag color="orange">{t('console.users.locked')}</Tag>
              ) : (
                <Tag color="green">{t('console.users.active')}</Tag>
              ),
          },
        ]}
      />
      <CreateUser open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}
