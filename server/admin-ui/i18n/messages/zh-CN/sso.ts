import type { sso as english } from '../en/sso.js';

export const sso: Record<keyof typeof english, string> = {
  'sso.title': '单点登录',
  'sso.intro': '用户使用 Microsoft 账户登录 UC 客户端和浏览器扩展。只有关联到已启用的已同步分机的用户才能登录。',
  'sso.settings': '登录',
  'sso.enabled': '允许使用 Microsoft 登录',
  'sso.enabledHint': '仅在集成启用时有效。',
  'sso.origins': '允许的 Web 客户端源',
  'sso.originsHint': '每行一个，例如 https://phone.example.com。',
  'sso.originInvalid': '{origin} 不是有效的源：请使用不带路径的 https://host[:port]（仅 localhost 可用 http）。',
  'sso.webClientUrl': 'Web 客户端地址',
  'sso.webClientUrlHint': '客户端未指定页面时登录后返回的地址。可选。',
};
