import type { directory as english } from '../en/directory.js';

export const directory: Record<keyof typeof english, string> = {
  'extensions.title': '分机',
  'extensions.intro': '已同步的分机由 Entra ID 创建和更新；其锁定字段只能在 Entra ID 中修改。',
  'extensions.caption': '分机列表',
  'extensions.none': '暂无分机。',
  'extensions.search': '按号码、姓名或电子邮件搜索',
  'extensions.allSources': '全部',

  'groups.title': '分机组',
  'groups.intro': '已同步的组的名称和成员来自 Entra ID，无法在此修改或删除。',
  'groups.caption': '分机组列表',
  'groups.none': '暂无分机组。',
  'groups.name': '名称',
  'groups.members': '成员数',

  'directory.source': '来源',
  'directory.synced': '已同步',
  'directory.local': '本地',
  'directory.lockedTitle': '锁定',
  'directory.notLocked': '可编辑',
  'directory.groupLocked': '名称和成员已锁定',
  'directory.enabled': '已启用',

  'field.number': '号码',
  'field.firstName': '名',
  'field.lastName': '姓',
  'field.displayName': '姓名',
  'field.email': '电子邮件',
  'field.mobile': '手机',
  'field.businessPhone': '商务电话',
  'field.jobTitle': '职位',
  'field.callerId': '主叫号码',
  'field.department': '部门',
  'field.office': '办公室',
};
