import type { shell as english } from '../en/shell.js';

export const shell: Record<keyof typeof english, string> = {
  'language.en': 'English',
  'language.de': 'Deutsch',
  'language.zh-CN': '简体中文',

  'shell.product': 'ucbridge 管理',
  'shell.language': '语言',
  'shell.navigation': '栏目',
  'shell.signedInAs': '已登录（{label}）',
  'shell.signOut': '退出登录',
  'shell.skipToContent': '跳到正文',

  'nav.connection': '连接',
  'nav.userSync': '用户同步',
  'nav.groupSync': '组同步',
  'nav.syncLog': '同步日志',
  'nav.extensions': '分机',
  'nav.groups': '分机组',
  'nav.presence': '在线状态',
  'nav.sso': '单点登录',
  'nav.schedule': '计划',
  'nav.contacts': '联系人',
  'nav.webhooks': 'Webhook',

  'signIn.title': '登录 ucbridge',
  'signIn.intro': '请输入管理员令牌。它在服务器首次启动时显示过一次，或通过 UCBRIDGE_ADMIN_TOKEN 设置。',
  'signIn.token': '管理员令牌',
  'signIn.tokenHint': '页面使用安全的会话 Cookie 保持登录，而不是保存令牌。',
  'signIn.submit': '登录',

  'common.loading': '正在加载…',
  'common.cancel': '取消',
  'common.save': '保存',
  'common.copy': '复制',
  'common.copied': '已复制',
  'common.copyValue': '复制{what}',
  'common.saved': '已保存。',
  'common.yes': '是',
  'common.no': '否',
  'common.more': '显示更多',
  'common.close': '关闭',

  'form.fixFields': '请检查标出的字段。',

  'validate.required': '必填。',
  'validate.guid': '请输入形如 00000000-0000-0000-0000-000000000000 的 ID。',
  'validate.https': '请输入以 https:// 开头的地址。',
  'validate.digits': '只能输入数字（最多 15 位）。',
  'validate.range': '请输入 {min} 到 {max} 之间的整数。',
  'validate.phone': '请输入电话号码：数字，可带前导 +。',
  'validate.email': '请输入电子邮件地址，例如 name@example.com。',
};
