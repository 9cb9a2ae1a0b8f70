import { Card, Descriptions, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n.js';
import { useMe } from './queries.js';

export function Overview() {
  const { t, lang } = useI18n();
  const { data: me } = useMe();
  if (!me) return null;
  return (
    <Card data-testid="overview">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('console.overview.welcome', { name: me.display_name })}
      </Typography.Title>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('console.overview.username')}>{me.username}</Descriptions.Item>
        <Descriptions.Item label={t('console.overview.role')}>{t(`role.${me.role}`)}</Descriptions.Item>
        <Descriptions.Item label={t('console.overview.branch')}>
          {lang === 'en-US' ? me.branch.name_en : me.branch.name}
        </Descriptions.Item>
        <Descriptions.Item label={t('console.overview.permissions')}>
          {me.permissions.map((p) => (
            <Tag key={p} style={{ marginBottom: 4 }}>
              {p}
            </Tag>
          ))}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
