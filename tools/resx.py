#!/usr/bin/env python3
"""Writes CrmBlazor.Server/Resources/*.resx from the tables below: one place to add a UI text in both languages.
Run: python3 tools/resx.py"""
import html, os

SHARED = {
    "App.Title": ("CrmBlazor", "CrmBlazor 客户管理"),
    "Nav.Toggle": ("Toggle navigation", "展开/收起导航"),
    "Nav.MyWork": ("My work", "我的工作"),
    "Nav.Customers": ("Customers", "客户档案"),
    "Nav.AuditLog": ("Audit log", "操作日志"),
    "Theme.Dark": ("Dark theme", "深色主题"),
    "Theme.Light": ("Light theme", "浅色主题"),
    "Language.Switch": ("Language", "切换语言"),
    "User.Menu": ("Account", "账户"),
    "User.SignOut": ("Sign out", "退出登录"),
    "Role.Admin": ("Administrator", "系统管理员"),
    "Role.Supervisor": ("Supervisor", "主管"),
    "Role.SalesRep": ("Sales rep", "客户经理"),
    "Role.CustomerService": ("Customer service", "客服专员"),
    "Role.Analyst": ("Analyst", "数据分析师"),
    "SignIn.Title": ("Sign in", "登录"),
    "SignIn.WithMicrosoft": ("Sign in with Microsoft", "使用 Microsoft 账户登录"),
    "SignIn.DemoNotice": ("Development sign-in: choose a demo user. In production, users sign in with Azure AD.", "开发环境登录：请选择一个演示用户。生产环境使用 Azure AD 登录。"),
    "SignIn.UnknownUser": ("That user does not exist or is disabled.", "该用户不存在或已停用。"),
    "Denied.Title": ("Not available to you", "无权访问"),
    "Denied.Text": ("Your role does not give access to this page or record.", "您的角色无权访问此页面或记录。"),
    "NotFound.Title": ("Page not found", "页面不存在"),
    "NotFound.Text": ("The address may be mistyped, or the page has moved.", "地址可能有误，或页面已移动。"),
    "Error.Unexpected.Title": ("Something went wrong", "出现了意外错误"),
    "Error.Unexpected.Text": ("The error was logged. Quote this reference to support: {0}", "错误已记录。联系技术支持时请提供此编号：{0}"),
    "Error.TryAgain": ("Try again", "重试"),
    "Error.OperationDenied": ("Your role may not {0} in {1}.", "您的角色无权在“{1}”中执行“{0}”操作。"),
    "Error.CustomerOutOfScope": ("This customer belongs to someone else's portfolio.", "该客户不属于您的负责范围。"),
    "Error.NotFound": ("{0} {1} was not found.", "未找到 {0} {1}。"),
    "Error.Conflict": ("Someone else changed this record since you opened it.", "您打开此记录后，其他人已修改了它。"),
    "Error.Validation": ("Some fields need attention.", "部分字段需要修改。"),
    "Error.UserDisabled": ("The account of {0} is disabled.", "{0} 的账户已停用。"),
    "Validation.NameRequired": ("The legal name is required.", "请填写客户的工商注册全称。"),
    "Validation.ContactNameRequired": ("The key contact needs a name.", "请填写关键联系人姓名。"),
    "Reconnect.Rejoining": ("Reconnecting to the server…", "正在重新连接服务器…"),
    "Reconnect.RetryIn": ("Could not reconnect. Trying again in seconds:", "重新连接失败，将在以下秒数后重试："),
    "Reconnect.Failed": ("Could not reconnect. Retry or reload the page.", "无法重新连接，请重试或刷新页面。"),
    "Reconnect.Retry": ("Retry", "重试"),
    "Reconnect.Paused": ("The session was paused by the server.", "服务器已暂停此会话。"),
    "Reconnect.ResumeFailed": ("Could not resume the session. Retry or reload the page.", "无法恢复会话，请重试或刷新页面。"),
    "Reconnect.Resume": ("Resume", "恢复"),
    "MyWork.Greeting": ("Hello, {0}", "{0}，您好"),
    "MyWork.Intro": ("Your to-dos, tasks, tickets and reminders gather here.", "您的待办事项、任务、工单和提醒会集中显示在这里。"),
    "MyWork.Todos": ("To-dos", "待办事项"),
    "MyWork.Tasks": ("Tasks", "任务"),
    "MyWork.Tickets": ("Tickets", "工单"),
    "MyWork.Reminders": ("Reminders", "提醒"),
    "MyWork.NotYet": ("Nothing here yet: this list fills in when the feature arrives.", "暂无内容：该功能上线后将在此显示。"),
    "Common.Loading": ("Loading…", "加载中…"),
    "Common.Search": ("Search", "搜索"),
    "Customers.Search": ("Search number or name", "搜索客户编号或名称"),
    "Customers.Empty": ("No customers in your portfolio yet.", "您的名下暂无客户。"),
    "Customers.NoMatch": ("No customer matches the search.", "没有符合搜索条件的客户。"),
    "Customer.Number": ("Number", "客户编号"),
    "Customer.Name": ("Legal name", "客户名称"),
    "Customer.Industry": ("Industry", "行业"),
    "Customer.Status": ("Status", "状态"),
    "Customer.Owner": ("Owner", "负责人"),
    "Status.new": ("New", "新客户"),
    "Status.cooperating": ("Cooperating", "合作中"),
    "Status.active": ("Active", "活跃"),
    "Status.silent": ("Silent", "沉默"),
    "Status.lost": ("Lost", "流失"),
    "Audit.User": ("User", "操作人"),
    "Audit.Entity": ("Entity", "对象类型"),
    "Audit.From": ("From", "开始日期"),
    "Audit.To": ("To", "结束日期"),
    "Audit.At": ("Time", "时间"),
    "Audit.Action": ("Action", "操作"),
    "Audit.Changes": ("Changes (before → after)", "变更（修改前 → 修改后）"),
    "Audit.Fields": ("{0} fields", "{0} 个字段"),
    "Audit.Action.Create": ("Created", "新建"),
    "Audit.Action.Update": ("Updated", "修改"),
    "Audit.Action.Delete": ("Deleted", "删除"),
    "Audit.Action.SignIn": ("Signed in", "登录"),
    "Audit.Action.SignOut": ("Signed out", "退出"),
    "Audit.Action.Import": ("Imported", "导入"),
    "Audit.Action.Export": ("Exported", "导出"),
    "Audit.Action.Merge": ("Merged", "合并"),
    "Audit.Action.PermissionChange": ("Permissions changed", "权限变更"),
    "Audit.Empty": ("No audit entries match.", "没有符合条件的操作日志。"),
}

# MudBlazor's own texts; English stays MudBlazor's built-in resource.
MUD_ZH = {
    "MudAlert_Close": "关闭", "MudChip_Close": "关闭", "MudDialog_Close": "关闭", "MudSnackbar_Close": "关闭",
    "MudDataGridPager_AllItems": "全部", "MudDataGridPager_FirstPage": "第一页", "MudDataGridPager_InfoFormat": "{0}-{1}，共 {2} 条",
    "MudDataGridPager_LastPage": "最后一页", "MudDataGridPager_NextPage": "下一页", "MudDataGridPager_PreviousPage": "上一页", "MudDataGridPager_RowsPerPage": "每页行数：",
    "MudDataGrid_AddFilter": "添加筛选", "MudDataGrid_Apply": "应用", "MudDataGrid_Cancel": "取消", "MudDataGrid_Clear": "清除", "MudDataGrid_ClearFilter": "清除筛选",
    "MudDataGrid_Column": "列", "MudDataGrid_Columns": "列", "MudDataGrid_Contains": "包含", "MudDataGrid_EndsWith": "结尾是", "MudDataGrid_Equals": "等于",
    "MudDataGrid_False": "否", "MudDataGrid_Filter": "筛选", "MudDataGrid_FilterValue": "筛选值", "MudDataGrid_Group": "分组", "MudDataGrid_Hide": "隐藏",
    "MudDataGrid_HideAll": "全部隐藏", "MudDataGrid_Is": "是", "MudDataGrid_IsAfter": "晚于", "MudDataGrid_IsAnyOf": "属于其一", "MudDataGrid_IsBefore": "早于",
    "MudDataGrid_IsEmpty": "为空", "MudDataGrid_IsNot": "不是", "MudDataGrid_IsNotEmpty": "不为空", "MudDataGrid_IsOnOrAfter": "不早于", "MudDataGrid_IsOnOrBefore": "不晚于",
    "MudDataGrid_Loading": "加载中…", "MudDataGrid_MoveDown": "下移", "MudDataGrid_MoveUp": "上移", "MudDataGrid_NotContains": "不包含", "MudDataGrid_NotEquals": "不等于",
    "MudDataGrid_OpenFilters": "打开筛选", "MudDataGrid_Operator": "运算符", "MudDataGrid_RefreshData": "刷新数据", "MudDataGrid_RemoveFilter": "移除筛选",
    "MudDataGrid_Save": "保存", "MudDataGrid_SelectAllRows": "全选", "MudDataGrid_SelectRow": "选择行", "MudDataGrid_ShowAll": "全部显示",
    "MudDataGrid_ShowColumnOptions": "列选项", "MudDataGrid_Sort": "排序", "MudDataGrid_StartsWith": "开头是", "MudDataGrid_True": "是", "MudDataGrid_Ungroup": "取消分组",
    "MudDataGrid_Unsort": "取消排序", "MudDataGrid_Value": "值",
    "MudTablePager_FirstPage": "第一页", "MudTablePager_LastPage": "最后一页", "MudTablePager_NextPage": "下一页", "MudTablePager_PreviousPage": "上一页",
    "MudTable_Loading": "加载中…", "MudTable_SelectAllRows": "全选", "MudTable_SelectRow": "选择行",
    "MudPagination_FirstPage": "第一页", "MudPagination_LastPage": "最后一页", "MudPagination_NextPage": "下一页", "MudPagination_PreviousPage": "上一页",
    "MudFileUpload_Button": "选择文件", "MudFileUpload_DragAndDrop": "拖放文件到此处", "MudFormComponent_Required": "必填",
    "MudInput_Clear": "清除", "MudInput_Decrement": "减少", "MudInput_Increment": "增加", "MudSelect_SelectAll": "全选",
    "MudBaseDatePicker_NextMonth": "下个月", "MudBaseDatePicker_PrevMonth": "上个月", "MudBaseDatePicker_NextYear": "下一年", "MudBaseDatePicker_PrevYear": "上一年",
    "MudBaseDatePicker_Open": "打开日期选择", "MudTimePicker_Open": "打开时间选择", "MudDateRangePicker_Start": "开始", "MudDateRangePicker_End": "结束",
    "MudStepper_Next": "下一步", "MudStepper_Previous": "上一步", "MudStepper_Complete": "完成", "MudStepper_Reset": "重置", "MudStepper_Skip": "跳过",
    "MudNavGroup_ToggleExpand": "展开/收起",
}

HEADER = '''<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by tools/resx.py: edit the tables there, then run python3 tools/resx.py -->
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''

def write(path, entries):
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for key, value in sorted(entries.items()):
            f.write(f'  <data name="{html.escape(key)}" xml:space="preserve"><value>{html.escape(value, quote=False)}</value></data>\n')
        f.write("</root>\n")

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "CrmBlazor.Server", "Resources")
write(os.path.join(root, "SharedResource.resx"), {k: v[0] for k, v in SHARED.items()})
write(os.path.join(root, "SharedResource.zh-CN.resx"), {k: v[1] for k, v in SHARED.items()})
write(os.path.join(root, "MudTranslations.zh-CN.resx"), MUD_ZH)
write(os.path.join(root, "MudTranslations.resx"), {})
