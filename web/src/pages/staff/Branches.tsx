import { Alert, Card, Table, Tag } from 'antd';
import { errorText } from '../../components/errorText.js';
import { useI18n } from '../../i18n.js';
import { useBranches, type Branch } from './queries.js';

export interface BranchNode extends Branch {
  children?: BranchNode[];
}

/** The flat list as the tree it is (union → county → outlet); orphans (parent outside the scope) become roots. */
export function branchTree(list: readonly Branch[]): BranchNode[] {
  const byId = new Map<string, BranchNode>(list.map((b) => [b.id, { ...b }]));
  const roots: BranchNode[] = [];
  for (const b of byId.values()) {
    const parent = b.parent_id ? byId.get(b.parent_id) : undefined;
    if (parent) (parent.children ??= []).push(b);
    else roots.push(b);
  }
  return roots;
}

const LEVEL_COLOR = { union: 'purple', county: 'blue', outlet: 'green' } as const;

export function Branches() {
  const { t, lang } = useI18n();
  const q = useBranches();
  if (q.isError) return <Alert type="error" showIcon message={errorText(t, q.error)} />;
  return (
    <Card title={t('console.nav.branches')} data-testid="branches">
      <Table<BranchNode>
        key={q.data ? 'loaded' : 'loading'}
        rowKey="id"
        loading={q.isPending}
        dataSource={q.data ? branchTree(q.data) : []}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        size="middle"
        columns={[
          {
            title: t('console.branches.name'),
            key: 'name',
            render: (_, b) => (lang === 'en-US' ? b.name_en : b.name),
          },
          { title: t('console.branches.code'), dataIndex: 'code' },
          {
            title: t('console.branches.level'),
            dataIndex: 'level',
            render: (l: Branch['level']) => <Tag color={LEVEL_COLOR[l]}>{t(`level.${l}`)}</Tag>,
          },
        ]}
      />
    </Card>
  );
}
