// Synthetic directories for the benchmark: realistic mixed-language entries built from the
// glossary's terms and everyday phrasing, seeded so every run measures the same text.
import type { Dataset } from '../src/domain/dataset.ts';
import { CAPABILITY_KINDS, type CapabilityRecord, type NeedRecord } from '../src/domain/entry.ts';
import { SECTOR_IDS, type SectorId } from '../src/domain/sectors.ts';
import { defaultGlossary, type Concept } from '../src/match/glossary.ts';
import { mulberry32 as rng } from '../src/numeric.ts';


const ZH_ORGS = ['沪南理工大学', '东海大学', '华泾科技大学', '奉城职业技术学院', '临港工程研究院', '申江材料研究所', '浦江医药研究院'];
const ZH_UNITS = ['重点实验室', '工程技术研究中心', '课题组', '中试基地', '检测中心'];
const ZH_COS = ['上海奉贤', '上海临港', '苏州', '杭州', '上海闵行'];
const ZH_CO_SUFFIX = ['科技有限公司', '设备有限公司', '新材料有限公司', '生物科技有限公司', '智能装备有限公司'];
const EN_ORGS = ['Eastbay Polytechnic', 'Huangpu Institute of Technology', 'Fengxian University', 'Lingang Research Institute'];
const EN_UNITS = ['Key Laboratory', 'Engineering Center', 'Research Group', 'Pilot Plant'];
const ZH_PROBLEMS = ['效率偏低', '良率不足', '成本过高', '稳定性差', '寿命短', '能耗高', '精度不够', '一致性差', '误报率高', '污染排放超标'];
const EN_PROBLEMS = ['low yield', 'poor stability', 'high cost', 'short service life', 'high energy consumption', 'insufficient accuracy', 'high false alarm rate'];
const ZH_FILLER = [
  '目前产线日产能约{n}件，', '现有工艺的合格率为{n}%，', '希望在{n}个月内完成样机验证，', '预算约{n}万元，', '公司可提供试验场地和历史数据，',
  '合作方式为联合攻关或委托开发，', '需满足相关国家标准，', '客户对交付周期要求严格，', '希望与高校或重点实验室合作，', '目标指标提升{n}%以上，',
];
const EN_FILLER = [
  'Current throughput is about {n} units per day. ', 'The pass rate is {n}% today. ', 'We expect a prototype within {n} months. ',
  'Budget is around {n}k USD. ', 'We can provide test sites and historical data. ', 'Joint development or contract research is welcome. ',
  'The solution must meet national standards. ', 'We target an improvement of at least {n}%. ',
];
const ZH_CAP = ['长期从事{a}与{b}研究，', '拥有{a}中试线和{b}测试平台，', '在{a}方面承担过国家级项目，', '可提供{a}、{b}的技术服务与人才培养，', '团队{n}人，其中教授{m}人，'];
const EN_CAP = ['We work on {a} and {b}. ', 'The lab runs a {a} pilot line and a {b} test bench. ', 'Projects on {a} were funded nationally. ', 'Services: {a}, {b}, training. ', 'The team has {n} researchers. '];

/** Common Han characters and English syllables: the raw material of words the glossary does not know. */
const HAN = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪汇币丰蓝殊献桌啦瓦莱援译夺汽烧距裁偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉彻刊丈爆乌役描洗玛患妙镜唱烦签仙彼弗症仿倾牌陷鸟轰咱菜闭奋庆撤泪茶疾缘播朗杜奶季丹狗尾仪偷奔珠虫驻孔宜艾桥淡翼恨繁寒伴叹旦愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰隔启尖忠累炎暂估泛荒偿横拒瑞忆孤鼻闹羊呆厉衡胞零穷舍码赫婆魂灾洪腿胆津俗辩胸晓劲贫仁偶辑邦恢赖圈摸仰润堆碰艇稍迟辆废净凶署壁御奉旋冬矿抬蛋晨伏吹鸡倍糊秦盾杯租骑乏隆诊奴摄丧污渡旗甘耐凭扎抢绪粗肩梁幻菲皆碎宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪矛霍允幅撒剩凯颗骂赏液番箱贴漫酸郎腰舒眉忧浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑券崇扰宪绕趋慈乔阅汗枝拖墨胁插箭腊粉泥氏彭拔骗凤慧媒佩愤扑龄驱惜豪掩兼跃尸肃帕驶堡届欣惠册储飘桑闲惨洁踪勃宾频仇磨递邪撞拟滚奏巡颜剂绩贡疯坡瞧截燃焦殿伪柳锁逼颇昏劝呈搜勤戒驾漂饮曹朵仔柔俩孟腐幼践籍牧凉牲佳娜浓芳稿竹腹跌逻垂遵脉貌柏狱猜怜惑陶兽帐饰贷昌叙躺钢沟寄扶铺邓寿惧询汤盗肥尝匆辉奈扣廷澳嘛董迁凝慰厌脏腾幽怨鞋丢埋泉涌辖躲晋紫艰魏吾慌祝邮吐狠鉴曰械咬邻赤挤弯椅陪割揭韦悟聪雾锋梯猫祥阔誉筹丛牵鸣沈阁穆屈旨袖猎臂蛇贺柱抛鼠瑟戈牢逊迈欺吨琴衰瓶恼燕仲诱狼池疼卢仗冠粒遥吕玄尘冯抚浅敦纠钻晶岂峡苍喷耗凌敲菌赔涂粹扁亏寂煤熊恭湿循暖糖赋抑秩帽哀宿踏烂袁侯抖夹昆肝擦猪炼恒慎搬纽纹玻渔磁铜齿跨押怖漠疲叛遣兹祭醉拳弥斜档稀捷肤疫肿豆削岗晃吞宏癌肚隶履涨耀扭坛拨沃绘伐堪仆郭牺歼墓雇廉契拼惩捉覆刷劫嫌瓜歇雕闷乳串娃缴唤赢莲霸桃妥瘦搭赴岳嘉舱俊址庞耕锐缝悔邀玲惟斥宅添挖呵讼氧浩羽斤酷掠妖祸侍乙妨贪挣汪尿莉悬唇翰仓轨枚盐览傅帅庙芬屏寺胖璃愚滴疏萧姿颤丑劣柯寸扔盯辱匹俱辨饿蜂哦腔郁溃谨糟葛苗肠忌溜鸿爵鹏鹰笼丘桂滋聊挡纲肌茨壳痕碗穴膀卓贤卧膜毅锦欠哩函茫昂薛皱夸豫胃舌剥傲拾窝睁携陵哼棉晴铃填饲渴吻扮逆脆喘罩卜炉柴愉绳胎蓄眠竭喂傻慕浑奸扇柜悦拦诞饱乾泡贼亭夕爹酬儒姻卵氛泄杆挨僧蜜吟猩遂狭肖甜霜揽泳奠巢仑亨尧逝殷溪帘敞撑拆淘澜'.split('');
const SYLLABLES = ['ba', 'co', 'de', 'fi', 'gu', 'ha', 'ki', 'lo', 'ma', 'ne', 'po', 'ra', 'si', 'tu', 'va', 'xe', 'ze', 'tri', 'str', 'pla', 'qua', 'ion', 'ent', 'ate', 'ous', 'ing', 'ver', 'sta', 'ph', 'th'];

/** A vocabulary of pseudo-words, most of them unknown to the glossary, drawn with a Zipf-like skew. */
function wideVocabulary(r: () => number) {
  const zh = Array.from({ length: 40_000 }, () => {
    const n = 2 + Math.floor(r() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += HAN[Math.floor(r() * HAN.length)];
    return w;
  });
  const en = Array.from({ length: 30_000 }, () => {
    const n = 2 + Math.floor(r() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    return w;
  });
  const zipf = (list: string[]) => () => list[Math.min(list.length - 1, Math.floor(list.length * r() ** 2.2))]!;
  return { zh: zipf(zh), en: zipf(en) };
}

export interface CorpusOptions {
  /**
   * Words from a vocabulary much wider than the glossary (about half the content words unknown to
   * it), any of a concept's surface forms rather than its first, descriptions as long as the demo's.
   */
  wide?: boolean;
}

export function generateCorpus(size: number, seed = 42, opts: CorpusOptions = {}): Dataset {
  const r = rng(seed);
  const vocab = opts.wide ? wideVocabulary(rng(seed + 1)) : undefined;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const g = defaultGlossary();
  const bySector = new Map<SectorId, Concept[]>();
  for (const c of g.concepts.values()) for (const s of c.sectors) bySector.set(s, [...(bySector.get(s) ?? []), c]);
  const methods = [...g.concepts.values()].filter((c) => c.sectors.length === 0);
  const anyOf = (xs: readonly string[] | undefined) => (xs?.length ? xs[vocab ? Math.floor(r() * xs.length) : 0] : undefined);
  const zh = (c: Concept) => anyOf(c.zh) ?? c.en[0] ?? c.id;
  const en = (c: Concept) => (vocab && c.abbr?.length && r() < 0.2 ? anyOf(c.abbr) : undefined) ?? anyOf(c.en) ?? c.abbr?.[0] ?? c.zh[0] ?? c.id;
  /** Sentences of unknown words until the description is about as long as the demo's (~380 characters). */
  const pad = (text: string, chinese: boolean): string => {
    if (!vocab) return text;
    let out = text;
    const target = 250 + Math.floor(r() * 260);
    while (out.length < target) {
      const n = 4 + Math.floor(r() * 6);
      const words = Array.from({ length: n }, () => (chinese ? vocab.zh() : vocab.en()));
      out += chinese ? `${words.join(r() < 0.5 ? '' : '和')}。` : `${words.join(' ')}. `;
    }
    return out;
  };
  const fill = (t: string, a?: string, b?: string) =>
    t.replace('{n}', String(2 + Math.floor(r() * 500))).replace('{m}', String(1 + Math.floor(r() * 9))).replace('{a}', a ?? '').replace('{b}', b ?? '');

  const needs: NeedRecord[] = [];
  const caps: CapabilityRecord[] = [];
  for (let i = 0; i < size; i++) {
    const sector = pick(SECTOR_IDS);
    const pool = bySector.get(sector) ?? [];
    const [a, b, c] = [pick(pool), pick(pool), r() < 0.3 ? pick(methods) : pick(pool)];
    const lang = r();
    const isNeed = i % 2 === 0;
    const chinese = lang < 0.55;
    const mixed = lang >= 0.8;
    const term = (x: Concept) => (chinese ? zh(x) : mixed ? (r() < 0.5 ? zh(x) : en(x)) : en(x));
    const sectors = r() < 0.75 ? [sector] : undefined;
    if (isNeed) {
      const title = chinese || mixed ? `${term(a)}${pick(ZH_PROBLEMS)}` : `${pick(EN_PROBLEMS)} in ${term(a)}`;
      const parts: string[] = [];
      const n = 3 + Math.floor(r() * 6);
      for (let k = 0; k < n; k++) parts.push(chinese || mixed ? fill(pick(ZH_FILLER)) : fill(pick(EN_FILLER)));
      parts.splice(1, 0, chinese || mixed ? `主要涉及${term(b)}和${term(c)}，` : `It involves ${term(b)} and ${term(c)}. `);
      needs.push({
        id: `N-${String(i + 1).padStart(6, '0')}`,
        org: chinese || mixed ? `${pick(ZH_COS)}${'甲乙丙丁戊己庚辛'[i % 8]}${pick(ZH_CO_SUFFIX)}` : `${pick(['Sino', 'Hua', 'Dong', 'Xin'])}${i % 97} Technology Co., Ltd.`,
        title,
        description: pad(parts.join(''), chinese || mixed),
        ...(sectors ? { sectors } : {}),
        keywords: [term(a), term(b)],
        region: pick(['奉贤区', '闵行区', '临港新片区', '上海']),
      });
    } else {
      const title = chinese || mixed ? `${term(a)}与${term(b)}${pick(ZH_UNITS)}` : `${term(a)} and ${term(b)} ${pick(EN_UNITS)}`;
      const parts: string[] = [];
      const n = 3 + Math.floor(r() * 5);
      for (let k = 0; k < n; k++) parts.push(chinese || mixed ? fill(pick(ZH_CAP), term(pick(pool)), term(c)) : fill(pick(EN_CAP), term(pick(pool)), term(c)));
      caps.push({
        id: `C-${String(i + 1).padStart(6, '0')}`,
        org: chinese || mixed ? `${pick(ZH_ORGS)}${pick(ZH_UNITS)}` : `${pick(EN_ORGS)} ${pick(EN_UNITS)}`,
        kind: pick(CAPABILITY_KINDS),
        title,
        description: pad(parts.join(''), chinese || mixed),
        ...(sectors ? { sectors } : {}),
        keywords: [term(a), term(c)],
      });
    }
  }
  return { version: 1, needs, capabilities: caps };
}
