import type { pickers as english } from '../en/pickers.js';

export const pickers: Record<keyof typeof english, string> = {
  'groupPicker.searchPlaceholder': '按名称搜索组',
  'groupPicker.selected': '已选 {count} 个',
  'groupPicker.selectedList': '已选的组',
  'groupPicker.remove': '移除 {name}',
  'groupPicker.none': '未找到组。',
  'groupPicker.pickOne': '请至少选择一个组。',

  'mailboxPicker.searchPlaceholder': '按名称或地址搜索共享邮箱',
  'mailboxPicker.selectedList': '已选的共享邮箱',
  'mailboxPicker.none': '未找到共享邮箱。',

  'extensionPicker.searchPlaceholder': '按号码、姓名或邮箱搜索',
  'extensionPicker.selectedList': '已选的分机',
  'extensionPicker.none': '未找到分机。',

  'extensionGroupPicker.searchPlaceholder': '按名称搜索分机组',
  'extensionGroupPicker.selectedList': '已选的分机组',
  'extensionGroupPicker.none': '未找到分机组。',
};
