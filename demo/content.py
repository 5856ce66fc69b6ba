"""Sample content for the demo newsroom of «الماسة السورية», as plain data.

Everything here is original text written for the demo: invented people, invented events and
neutral wire-style reports on everyday Syrian topics. ``load_demo`` turns it into sections,
authors and published articles (with generated pictures where ``image`` is true).

The texts deliberately carry the spelling variants that search normalisation must fold:
hamza/alef forms (أ إ آ), taa marbuta, alef maqsura (ى), a little tashkeel (ضيَّق، المُعاد،
حيَّي، الحِرف، عُمان) and one title written with a tatweel (مهرجـان). One title contains
«الأجانب». One archive article mirrors the legacy page's metadata (2017-04-27, 7529 views).

Articles with ``published`` use that fixed time (archive); the others are dated ``days_ago``
days before the moment of loading.
"""

SECTIONS = [
    {
        "key": "politics",
        "name": "سياسة",
        "name_en": "Politics",
        "description": "الشأن العام والمجالس المحلية والتشريعات التي تمسّ حياة المواطنين اليومية.",
        "description_en": "Public affairs, local councils and the legislation that shapes citizens' daily lives.",
    },
    {
        "key": "economy",
        "name": "اقتصاد",
        "name_en": "Economy",
        "description": "الأسواق والأسعار والزراعة والصناعة والمشاريع الصغيرة.",
        "description_en": "Markets, prices, agriculture, industry and small businesses.",
    },
    {
        "key": "culture",
        "name": "ثقافة",
        "name_en": "Culture",
        "description": "المعارض والمهرجانات والكتب والمسرح والموسيقى.",
        "description_en": "Exhibitions, festivals, books, theatre and music.",
    },
    {
        "key": "sport",
        "name": "رياضة",
        "name_en": "Sport",
        "description": "الدوري المحلي والمنتخبات الوطنية والألعاب الفردية والرياضة المجتمعية.",
        "description_en": "The domestic league, national teams, individual sports and community sport.",
    },
    {
        "key": "society",
        "name": "مجتمع",
        "name_en": "Society",
        "description": "الخدمات والصحة والتعليم والطقس والتقنية في الحياة اليومية.",
        "description_en": "Public services, health, education, weather and technology in everyday life.",
    },
    {
        "key": "archive",
        "name": "من الأرشيف",
        "name_en": "From the Archive",
        "description": "مختارات من أرشيف الماسة السورية تعيد نشر تقارير من سنوات سابقة.",
        "description_en": "Selections from the Massa archive, republishing reports from earlier years.",
    },
]

AUTHORS = [
    {
        "key": "team",
        "name": "فريق ماسة",
        "name_en": "Massa Team",
        "is_team": True,
        "bio": "فريق التحرير في الماسة السورية، يُعدّ الأخبار العاجلة والتقارير المشتركة من غرفة الأخبار في دمشق.",
        "bio_en": "The Massa editorial team, preparing breaking news and joint reports from the Damascus newsroom.",
    },
    {
        "key": "rania_haddad",
        "name": "رانيا الحداد",
        "name_en": "Rania Haddad",
        "is_team": False,
        "bio": "صحفية متخصصة في الشؤون الاقتصادية، تغطي الأسواق والزراعة والصناعة منذ أكثر من عشر سنوات.",
        "bio_en": "A journalist specialising in economic affairs, covering markets, agriculture and industry for more than ten years.",
    },
    {
        "key": "samer_khatib",
        "name": "سامر الخطيب",
        "name_en": "Samer al-Khatib",
        "is_team": False,
        "bio": "محرر رياضي يتابع الدوري السوري والمنتخبات الوطنية، وعمل سابقاً مدرباً لفرق الناشئين.",
        "bio_en": "A sports editor following the Syrian league and the national teams; formerly a youth-team coach.",
    },
    {
        "key": "lina_aboud",
        "name": "لينا عبود",
        "name_en": "Lina Aboud",
        "is_team": False,
        "bio": "كاتبة ومحررة ثقافية، تكتب عن المسرح والفن التشكيلي والإصدارات الجديدة.",
        "bio_en": "A writer and culture editor who covers theatre, visual art and new books.",
    },
    {
        "key": "omar_dakkak",
        "name": "عمر الدقاق",
        "name_en": "Omar al-Dakkak",
        "is_team": False,
        "bio": "مراسل ميداني يغطي شؤون الخدمات والمجالس المحلية في دمشق وريفها.",
        "bio_en": "A field reporter covering public services and local councils in Damascus and its countryside.",
    },
    {
        "key": "hala_mansour",
        "name": "هالة منصور",
        "name_en": "Hala Mansour",
        "is_team": False,
        "bio": "صحفية تهتم بقضايا الصحة والتعليم والتقنية، وتحمل إجازة في الصيدلة.",
        "bio_en": "A journalist focusing on health, education and technology, with a degree in pharmacy.",
    },
]

ARTICLES = [
    # ------------------------------------------------------------------ economy
    {
        "title": "أسعار الخضار تتراجع في سوق الهال بدمشق مع بدء موسم الإنتاج المحلي",
        "lead": "سجّلت أسعار معظم أصناف الخضار انخفاضاً ملحوظاً في سوق الهال المركزي بدمشق هذا الأسبوع مع دخول الإنتاج المحلي من الزراعات المكشوفة إلى الأسواق.",
        "body": [
            "تراجعت أسعار عدد من أصناف الخضار في سوق الهال المركزي بدمشق خلال الأيام الماضية، بنسب تراوحت بين عشرة وخمسة وعشرين في المئة بحسب الصنف. وعزا تجار في السوق هذا الانخفاض إلى بدء وصول الإنتاج المحلي من الزراعات المكشوفة في ريف دمشق ودرعا.",
            "وقال أحد تجار الجملة إن كميات البندورة والخيار الواردة إلى السوق تضاعفت تقريباً مقارنة بالشهر الماضي، ما انعكس مباشرة على الأسعار. وأضاف أن أسعار البطاطا بقيت مستقرة نسبياً لأن موسمها لم يبدأ بعد.",
            "من جهتهم، لاحظ مستهلكون أن الانخفاض في سوق الجملة لم ينتقل بالكامل إلى محال المفرّق في الأحياء، إذ ما تزال الفروق بين السعرين واسعة في بعض المناطق. وأكدت مديرية التجارة الداخلية أن دورياتها تتابع التزام الباعة بالأسعار المعلنة.",
            "ويتوقع العاملون في السوق أن يستمر التراجع التدريجي خلال الأسابيع المقبلة إذا بقيت الظروف الجوية ملائمة. لكنهم يرجّحون أن ترتفع الأسعار مجدداً مع نهاية الموسم في أوائل الصيف.",
        ],
        "section": "economy",
        "authors": ["team"],
        "source": "الماسة السورية",
        "days_ago": 0.1,
        "views": 153,
        "image": True,
        "caption": "حركة البيع والشراء صباحاً في سوق الهال المركزي بدمشق",
        "credit": "فريق ماسة",
        "title_en": "Vegetable prices fall at the Damascus wholesale market as the local harvest begins",
        "lead_en": "Prices of most vegetables fell noticeably at the central wholesale market in Damascus this week as locally grown open-field produce reached the stalls.",
        "body_en": [
            "Prices of several vegetables at the central wholesale market in Damascus have fallen over the past few days, by between ten and twenty-five per cent depending on the variety. Traders attributed the drop to the first arrivals of open-field produce from the Damascus countryside and Daraa.",
            "One wholesaler said the quantities of tomatoes and cucumbers reaching the market had roughly doubled compared with last month, which was immediately reflected in prices. He added that potato prices had stayed relatively stable because their season has not yet begun.",
            "Shoppers, for their part, noted that the fall in wholesale prices has not been fully passed on to neighbourhood shops, where the gap between the two prices remains wide in some areas. The Directorate of Internal Trade said its inspectors were checking that sellers kept to the posted prices.",
            "Market workers expect the gradual decline to continue over the coming weeks if the weather stays favourable. They expect prices to rise again, however, at the end of the season in early summer.",
        ],
        "caption_en": "Morning trading at the central wholesale market in Damascus",
    },
    # ------------------------------------------------------------------ society / weather
    {
        "title": "منخفض جوي يحمل أمطاراً غزيرة وثلوجاً على المرتفعات بدءاً من الأحد",
        "lead": "تتأثر البلاد اعتباراً من يوم الأحد بمنخفض جوي يرافقه انخفاض ملحوظ في درجات الحرارة وهطولات مطرية غزيرة، مع احتمال تساقط الثلوج على المرتفعات التي يزيد ارتفاعها على ألف وخمسمئة متر.",
        "body": [
            "أفادت المديرية العامة للأرصاد الجوية بأن منخفضاً جوياً قادماً من شرق البحر المتوسط سيبدأ التأثير في البلاد يوم الأحد، ويستمر حتى مساء الثلاثاء. ويُتوقَّع أن تنخفض درجات الحرارة بمعدل ست إلى ثماني درجات عن معدلاتها السنوية.",
            "وتشمل الهطولات المناطق الساحلية والوسطى والجنوبية، وتكون غزيرة أحياناً ومصحوبة بعواصف رعدية، ولا سيما على الساحل وفي المرتفعات الغربية. كما يُحتمل تساقط الثلوج على جبال القلمون ومرتفعات جبل الشيخ ابتداءً من ليل الاثنين.",
            "ودعت المديرية السائقين إلى توخي الحذر على الطرق الجبلية بسبب الضباب وتشكّل الجليد في ساعات الصباح الأولى، كما نبّهت الصيادين إلى ارتفاع الموج في البحر. وأعلنت محافظات عدة رفع جاهزية فرق الطوارئ وآليات فتح الطرق.",
            "ويأتي هذا المنخفض بعد فترة من الجفاف النسبي امتدت عدة أسابيع. ويأمل المزارعون أن تسهم أمطاره في تحسين مخزون السدود ورطوبة التربة قبل موسم الزراعات الربيعية.",
        ],
        "section": "society",
        "authors": ["team"],
        "source": "الماسة السورية",
        "days_ago": 0.3,
        "views": 2210,
        "image": True,
        "caption": "غيوم كثيفة فوق جبال القلمون قبيل وصول المنخفض",
        "credit": "الماسة السورية",
        "title_en": "Low-pressure system to bring heavy rain, and snow on high ground, from Sunday",
        "lead_en": "A low-pressure system will affect the country from Sunday, bringing a marked drop in temperatures and heavy rain, with snow likely on ground above 1,500 metres.",
        "body_en": [
            "The General Directorate of Meteorology said a low-pressure system moving in from the eastern Mediterranean will begin to affect the country on Sunday and last until Tuesday evening. Temperatures are expected to fall six to eight degrees below their seasonal averages.",
            "Rain will cover the coastal, central and southern regions, at times heavy and accompanied by thunderstorms, particularly on the coast and in the western highlands. Snow is also possible on the Qalamoun mountains and the heights of Mount Hermon from Monday night.",
            "The directorate urged drivers to take care on mountain roads because of fog and ice forming in the early morning, and warned fishermen of rough seas. Several governorates said they had put emergency crews and road-clearing equipment on alert.",
            "The system follows a relatively dry spell lasting several weeks. Farmers hope its rain will help replenish reservoirs and soil moisture ahead of the spring planting season.",
        ],
        "caption_en": "Heavy clouds over the Qalamoun mountains ahead of the storm",
    },
    # ------------------------------------------------------------------ sport
    {
        "title": "الوثبة يتغلب على جبلة بهدفين ويقترب من صدارة الدوري",
        "lead": "حقق فريق الوثبة فوزاً ثميناً على ضيفه جبلة بهدفين دون رد في المرحلة الثامنة عشرة من الدوري الممتاز لكرة القدم، ليقلّص الفارق مع المتصدر إلى نقطة واحدة.",
        "body": [
            "فاز الوثبة على جبلة بهدفين نظيفين في المباراة التي جمعتهما على ملعب خالد بن الوليد في حمص، ضمن منافسات المرحلة الثامنة عشرة من الدوري الممتاز لكرة القدم. وجاء الهدفان في الشوط الثاني بعد شوط أول متكافئ غابت عنه الفرص الحقيقية.",
            "وافتتح المهاجم الشاب التسجيل في الدقيقة الحادية والستين بتسديدة قوية من خارج المنطقة، قبل أن يضيف زميله الهدف الثاني برأسية إثر ركلة ركنية قبل نهاية المباراة بعشر دقائق. وحاول لاعبو جبلة العودة في الدقائق الأخيرة، لكن دفاع الوثبة حافظ على تماسكه.",
            "وبهذا الفوز ضيَّق الوثبة الفارق مع فريق الصدارة إلى نقطة واحدة، ورفع رصيده إلى سبع وثلاثين نقطة. في المقابل تجمّد رصيد جبلة عند ثلاث وعشرين نقطة في المركز الثامن.",
            "وقال مدرب الوثبة في المؤتمر الصحفي عقب المباراة إن فريقه لعب بصبر وانتظر الفرصة المناسبة. وأشار إلى أن المنافسة على اللقب ما زالت مفتوحة حتى المراحل الأخيرة، وأن كل مباراة باتت بمثابة نهائي.",
        ],
        "section": "sport",
        "authors": ["samer_khatib"],
        "source": "الماسة السورية",
        "days_ago": 0.8,
        "views": 3480,
        "image": True,
        "caption": "لاعبو الوثبة يحتفلون بالهدف الأول على ملعب خالد بن الوليد",
        "credit": "سامر الخطيب",
        "title_en": "Al-Wathba beat Jableh 2-0 to close in on the league lead",
        "lead_en": "Al-Wathba earned a valuable 2-0 home win over Jableh in round eighteen of the football Premier League, cutting the gap to the leaders to a single point.",
        "body_en": [
            "Al-Wathba beat Jableh 2-0 at the Khalid ibn al-Walid Stadium in Homs in round eighteen of the football Premier League. Both goals came in the second half after an evenly matched first half with few real chances.",
            "The young striker opened the scoring in the 61st minute with a powerful shot from outside the area, before a teammate added the second with a header from a corner ten minutes from time. Jableh pushed for a way back in the closing minutes, but Al-Wathba's defence held firm.",
            "The win narrowed the gap between Al-Wathba and the leaders to one point and took the team to 37 points. Jableh stay on 23 points in eighth place.",
            "Speaking at the post-match press conference, the Al-Wathba coach said his team had played patiently and waited for the right moment. He added that the title race remained open until the final rounds and that every match was now like a final.",
        ],
        "caption_en": "Al-Wathba players celebrate the opening goal at the Khalid ibn al-Walid Stadium",
    },
    # ------------------------------------------------------------------ politics
    {
        "title": "مجلس محافظة حمص يقرّ موازنة العام المقبل ويزيد مخصصات الخدمات",
        "lead": "أقرّ مجلس محافظة حمص مشروع الموازنة الاستثمارية للعام المقبل، مع زيادة المبالغ المخصصة لقطاعات المياه والطرق والنظافة.",
        "body": [
            "أقرّ مجلس محافظة حمص في جلسته الاعتيادية أمس مشروع الموازنة الاستثمارية للعام المقبل، بعد نقاش استمر قرابة أربع ساعات بين الأعضاء وممثلي المديريات الخدمية. وتضمنت الموازنة زيادة في المخصصات الموجهة إلى قطاعات المياه والطرق والنظافة مقارنة بالعام الحالي.",
            "وأوضح رئيس لجنة الموازنة في المجلس أن الأولوية أُعطيت للمشاريع المتعثرة التي بدأ تنفيذها ولم تُستكمل، ولا سيما شبكات الصرف الصحي في الأحياء الشرقية وعدد من الطرق الريفية. وأضاف أن المجلس طلب من المديريات تقديم جداول زمنية واضحة لكل مشروع قبل نهاية الربع الأول.",
            "وشهدت الجلسة مداخلات عدة طالبت بتخصيص مبالغ إضافية لصيانة المدارس قبل بدء العام الدراسي، فيما دعا أعضاء آخرون إلى نشر تقارير دورية عن نسب الإنجاز ليطّلع عليها المواطنون. ووعد المكتب التنفيذي بدراسة هذه المقترحات في الجلسة المقبلة.",
            "ومن المقرر أن تُرفع الموازنة إلى الجهات المختصة لتصديقها خلال الأسابيع القليلة المقبلة. ويبدأ العمل بها مطلع العام، على أن تُعرض تقارير المتابعة على المجلس كل ثلاثة أشهر.",
        ],
        "section": "politics",
        "authors": ["team"],
        "source": "الماسة السورية",
        "days_ago": 1.5,
        "views": 860,
        "image": True,
        "caption": "جانب من جلسة مجلس محافظة حمص المخصصة لمناقشة الموازنة",
        "credit": "المكتب الإعلامي في محافظة حمص",
        "title_en": "Homs governorate council approves next year's budget and raises spending on services",
        "lead_en": "The Homs governorate council approved the draft investment budget for next year, increasing allocations for water, roads and sanitation.",
        "body_en": [
            "The Homs governorate council approved the draft investment budget for next year at its regular session yesterday, after some four hours of debate between members and representatives of the service directorates. The budget raises allocations for water, roads and sanitation compared with the current year.",
            "The head of the council's budget committee said priority had been given to stalled projects that were started but never completed, particularly sewage networks in the eastern neighbourhoods and a number of rural roads. He added that the council had asked the directorates to submit clear timetables for each project before the end of the first quarter.",
            "Several members called for extra funds to maintain schools before the start of the academic year, while others urged the publication of regular progress reports so that residents can follow the work. The executive office promised to consider these proposals at the next session.",
            "The budget will be referred to the relevant authorities for ratification in the coming weeks. It takes effect at the start of the year, with progress reports to be presented to the council every three months.",
        ],
        "caption_en": "Part of the Homs governorate council's budget session",
    },
    # ------------------------------------------------------------------ culture (tatweel title)
    {
        "title": "مهرجـان «ليالي الياسمين» الموسيقي يعود إلى قلعة دمشق بعد غياب",
        "lead": "تنطلق الخميس المقبل فعاليات مهرجان «ليالي الياسمين» الموسيقي في باحة قلعة دمشق بعد توقف دام أربع سنوات، بمشاركة فرق وعازفين من مختلف المحافظات.",
        "body": [
            "أعلنت اللجنة المنظمة لمهرجان «ليالي الياسمين» برنامج الدورة الجديدة التي تقام في الباحة الداخلية لقلعة دمشق على مدى ستة أيام. ويعود المهرجان بعد غياب دام أربع سنوات لأسباب تنظيمية ومالية.",
            "ويتضمن البرنامج أمسيات للموسيقى العربية الكلاسيكية والموشحات، إلى جانب عروض لفرق شبابية تمزج بين الآلات الشرقية والموسيقى المعاصرة. كما تُخصَّص أمسية كاملة لأعمال ملحنين سوريين من منتصف القرن الماضي.",
            "وقالت مديرة المهرجان إن اللجنة حرصت على إبقاء أسعار البطاقات في متناول الجميع، مع تخصيص عدد من المقاعد المجانية لطلاب المعهد العالي للموسيقى. وأضافت أن الإقبال على الحجز المسبق فاق التوقعات منذ اليوم الأول.",
            "وتبدأ الأمسيات يومياً عند الساعة الثامنة مساءً. ويمكن الحصول على البطاقات من شباك التذاكر في القلعة أو عبر الموقع الإلكتروني للمهرجان.",
        ],
        "section": "culture",
        "authors": ["lina_aboud"],
        "source": "الماسة السورية",
        "days_ago": 2.2,
        "views": 1290,
        "image": True,
        "caption": "تحضيرات المسرح في الباحة الداخلية لقلعة دمشق",
        "credit": "لينا عبود",
        "title_en": "Jasmine Nights music festival returns to the Damascus Citadel after a hiatus",
        "lead_en": "The Jasmine Nights music festival opens next Thursday in the courtyard of the Damascus Citadel after a four-year break, with bands and musicians from across the governorates.",
        "body_en": [
            "The organising committee of the Jasmine Nights festival has announced the programme of its new edition, to be held over six days in the inner courtyard of the Damascus Citadel. The festival returns after a four-year absence caused by organisational and financial difficulties.",
            "The programme includes evenings of classical Arab music and muwashshahat, alongside performances by young bands that blend Eastern instruments with contemporary music. A full evening will also be devoted to works by Syrian composers from the middle of the last century.",
            "The festival director said the committee had been keen to keep ticket prices affordable, setting aside a number of free seats for students of the Higher Institute of Music. She added that advance bookings had exceeded expectations since the first day.",
            "Concerts begin at 8 p.m. each day. Tickets are available from the Citadel box office or through the festival's website.",
        ],
        "caption_en": "Stage preparations in the inner courtyard of the Damascus Citadel",
    },
    # ------------------------------------------------------------------ society / education («الأجانب»)
    {
        "title": "معهد تعليم العربية في دمشق يستقبل دفعة جديدة من الطلاب الأجانب",
        "lead": "بدأ معهد تعليم اللغة العربية لغير الناطقين بها في جامعة دمشق فصله الدراسي الجديد بدفعة تضم طلاباً من أكثر من خمس عشرة دولة.",
        "body": [
            "استقبل معهد تعليم اللغة العربية لغير الناطقين بها في جامعة دمشق هذا الأسبوع دفعة جديدة من الطلاب الأجانب، قدموا من دول في آسيا وأوروبا وأفريقيا. ويُعدّ هذا العدد الأكبر منذ سنوات بحسب إدارة المعهد.",
            "ويتوزع الطلاب على ستة مستويات دراسية تبدأ من المبتدئ وتنتهي بالمتقدم، ويدرسون إلى جانب قواعد اللغة مواد في المحادثة والكتابة والأدب العربي. كما ينظّم المعهد جولات أسبوعية في أحياء دمشق القديمة ليتعرّف الطلاب إلى الحياة اليومية واللهجة المحلية.",
            "وقالت طالبة قادمة من إندونيسيا إنها اختارت دمشق لأنها تريد أن تتعلم العربية في بيئة يتحدثها الناس فيها كل يوم. وأضافت أن أصعب ما واجهته حتى الآن هو التمييز بين الفصحى والعامية، لكنها بدأت تلتقط كثيراً من العبارات اليومية من الباعة في الأسواق.",
            "وأوضحت إدارة المعهد أنها تعمل على تحديث مناهجها وإضافة مواد رقمية تساعد الطلاب على التعلم الذاتي. كما تدرس افتتاح دورات صيفية قصيرة اعتباراً من العام المقبل لتلبية الطلب المتزايد.",
        ],
        "section": "society",
        "authors": ["hala_mansour"],
        "source": "الماسة السورية",
        "days_ago": 3.0,
        "views": 1745,
        "image": True,
        "caption": "طلاب من جنسيات مختلفة في أحد صفوف المعهد",
        "credit": "الماسة السورية",
        "title_en": "Damascus Arabic-language institute welcomes a new intake of foreign students",
        "lead_en": "The Damascus University institute for teaching Arabic to non-native speakers has begun its new term with students from more than fifteen countries.",
        "body_en": [
            "The institute for teaching Arabic to non-native speakers at Damascus University welcomed a new intake of foreign students this week, arriving from countries in Asia, Europe and Africa. According to the institute's administration, it is the largest group in years.",
            "Students are divided across six levels, from beginner to advanced, and alongside grammar they take classes in conversation, writing and Arabic literature. The institute also organises weekly walks through the old quarters of Damascus so that students can get to know everyday life and the local dialect.",
            "A student from Indonesia said she had chosen Damascus because she wanted to learn Arabic in a place where people speak it every day. She added that the hardest thing so far had been telling Standard Arabic apart from the spoken dialect, but that she was already picking up many everyday expressions from market traders.",
            "The administration said it was updating its curriculum and adding digital materials to help students study on their own. It is also considering short summer courses from next year to meet growing demand.",
        ],
        "caption_en": "Students of different nationalities in one of the institute's classes",
    },
    # ------------------------------------------------------------------ politics (two authors)
    {
        "title": "لجنة برلمانية تناقش مشروع قانون جديد لحماية المستهلك",
        "lead": "بدأت لجنة الشؤون الاقتصادية في مجلس الشعب مناقشة مسودة قانون جديد لحماية المستهلك تتضمن تشديد العقوبات على الغش والتلاعب بالأسعار.",
        "body": [
            "ناقشت لجنة الشؤون الاقتصادية في مجلس الشعب أمس مسودة مشروع قانون جديد لحماية المستهلك، يهدف إلى تحديث التشريع النافذ وتشديد العقوبات على الغش والتلاعب بالأسعار. واستمعت اللجنة خلال الجلسة إلى آراء ممثلين عن غرف التجارة وجمعيات حماية المستهلك.",
            "وتنص المسودة على إلزام المحال التجارية بإعلان الأسعار بشكل واضح على السلع، وعلى إعطاء المستهلك حق إعادة السلعة المعيبة خلال مدة محددة. كما تقترح إنشاء سجل إلكتروني للشكاوى يتيح للمواطنين متابعة شكاواهم حتى البتّ فيها.",
            "وأبدى عدد من أعضاء اللجنة ملاحظات على المواد المتعلقة بالبيع عبر الإنترنت، معتبرين أنها تحتاج إلى تعريفات أدق. واتفقت اللجنة على عقد جلسة ثانية الأسبوع المقبل لاستكمال النقاش قبل رفع تقريرها إلى المجلس.",
        ],
        "section": "politics",
        "authors": ["rania_haddad", "omar_dakkak"],
        "source": "الماسة السورية",
        "days_ago": 4.2,
        "views": 640,
        "image": False,
    },
    # ------------------------------------------------------------------ economy / technology
    {
        "title": "إطلاق خدمة لتسديد فواتير الماء والكهرباء عبر الهاتف المحمول",
        "lead": "أطلقت إحدى شركات الاتصالات الخلوية بالتعاون مع عدد من المصارف خدمة جديدة تتيح للمشتركين تسديد فواتير الماء والكهرباء والهاتف الثابت عبر تطبيق على الهاتف المحمول.",
        "body": [
            "أعلنت إحدى شركات الاتصالات الخلوية، بالتعاون مع ثلاثة مصارف محلية، إطلاق خدمة تتيح للمشتركين تسديد فواتير الماء والكهرباء والهاتف الثابت من خلال تطبيق على الهاتف المحمول. وتُغني الخدمة المواطنين عن الوقوف في طوابير مراكز الجباية.",
            "ويحتاج المستخدم إلى ربط حسابه المصرفي أو محفظته الإلكترونية بالتطبيق، ثم إدخال رقم الاشتراك لعرض قيمة الفاتورة وتسديدها خلال ثوانٍ. ويحصل المشترك بعد كل عملية على إشعار إلكتروني يمكن اعتماده وثيقةً رسمية عند الحاجة.",
            "وقالت الشركة إن عدد المستخدمين تجاوز عشرين ألفاً في الأيام الثلاثة الأولى، وإنها تعمل على معالجة بعض الأعطال التقنية التي ظهرت في ساعات الذروة. ولا تُفرض على عمليات الدفع أي عمولة إضافية خلال الأشهر الستة الأولى.",
            "ويرى مختصون أن توسع خدمات الدفع الإلكتروني يخفف الضغط على مراكز الجباية، لكنه يتطلب تحسين تغطية شبكة الإنترنت في الأرياف حتى يستفيد منه الجميع. كما يشددون على ضرورة حملات توعية تساعد كبار السن على استخدام هذه الأدوات الجديدة.",
        ],
        "section": "economy",
        "authors": ["rania_haddad"],
        "source": "الماسة السورية",
        "days_ago": 5.5,
        "views": 2975,
        "image": True,
        "caption": "مواطن يسدد فاتورة الكهرباء عبر التطبيق الجديد",
        "credit": "رانيا الحداد",
        "title_en": "New service lets subscribers pay water and electricity bills by mobile phone",
        "lead_en": "A mobile operator, working with several banks, has launched a service that lets subscribers pay water, electricity and landline bills through a smartphone app.",
        "body_en": [
            "A mobile telecommunications company, in partnership with three local banks, has launched a service that lets subscribers pay their water, electricity and landline bills through a mobile phone app. The service spares residents the queues at bill-payment centres.",
            "Users link their bank account or e-wallet to the app, then enter their subscription number to see the amount due and pay it within seconds. After each transaction the subscriber receives an electronic receipt that can serve as an official document when needed.",
            "The company said the number of users passed twenty thousand in the first three days, and that it was fixing some technical faults that appeared at peak times. No additional fee will be charged on payments during the first six months.",
            "Specialists say the spread of electronic payment eases pressure on payment centres, but that internet coverage in rural areas must improve for everyone to benefit. They also stress the need for awareness campaigns to help older people use the new tools.",
        ],
        "caption_en": "A resident pays an electricity bill through the new app",
    },
    # ------------------------------------------------------------------ society / health
    {
        "title": "مستشفى المواساة يفتتح قسماً جديداً لغسيل الكلى بعشرين جهازاً",
        "lead": "افتتح مستشفى المواساة الجامعي في دمشق قسماً جديداً لغسيل الكلى مزوداً بعشرين جهازاً حديثاً، ما يرفع قدرته الاستيعابية إلى نحو ضعف ما كانت عليه.",
        "body": [
            "افتتح مستشفى المواساة الجامعي قسماً جديداً لغسيل الكلى في الطابق الثالث من المبنى الرئيسي، يضم عشرين جهازاً حديثاً وغرفة خاصة للحالات الطارئة. ويأتي المشروع ضمن خطة لتوسيع الخدمات التخصصية في المستشفيات الجامعية.",
            "وأوضح مدير المستشفى أن القسم القديم كان يعمل بثلاث ورديات يومياً ولا يستوعب جميع المرضى المسجلين، ما اضطر بعضهم إلى الانتظار أو التوجه إلى محافظات أخرى. وأضاف أن القسم الجديد سيتيح استقبال نحو مئة وعشرين مريضاً أسبوعياً.",
            "وتلقى الكادر التمريضي في القسم دورة تدريبية استمرت شهراً على تشغيل الأجهزة الجديدة وصيانتها الدورية. كما جرى تجهيز صالة انتظار مريحة للمرضى ومرافقيهم، بعد شكاوى متكررة من ضيق المكان في القسم السابق.",
            "ويُقدَّم العلاج في القسم مجاناً للمرضى المسجلين. وتُحدَّد المواعيد عبر عيادة أمراض الكلى في المستشفى، التي تستقبل طلبات التسجيل الجديدة يومياً عدا أيام العطل الرسمية.",
        ],
        "section": "society",
        "authors": ["hala_mansour"],
        "source": "الماسة السورية",
        "days_ago": 6.1,
        "views": 1120,
        "image": True,
        "caption": "أجهزة غسيل الكلى الجديدة في مستشفى المواساة",
        "credit": "المكتب الإعلامي في المستشفى",
    },
    # ------------------------------------------------------------------ sport (two authors)
    {
        "title": "منتخب الناشئين يبدأ معسكراً تدريبياً استعداداً للتصفيات الآسيوية",
        "lead": "بدأ منتخب سورية للناشئين بكرة القدم معسكراً تدريبياً مغلقاً في اللاذقية يستمر ثلاثة أسابيع، ضمن تحضيراته لخوض التصفيات الآسيوية.",
        "body": [
            "انطلق صباح أمس معسكر منتخب سورية للناشئين في مدينة اللاذقية بمشاركة ثلاثين لاعباً اختارهم الجهاز الفني بعد سلسلة من الاختبارات في عدد من المحافظات. ويستمر المعسكر ثلاثة أسابيع يتخللها تدريبان يومياً.",
            "وقال مدرب المنتخب إن المرحلة الأولى من المعسكر ستركز على الإعداد البدني، قبل الانتقال إلى الجوانب التكتيكية وخوض مباريات ودية مع فرق محلية من فئة الشباب. وأشار إلى أن القائمة النهائية ستُقلَّص إلى ثلاثة وعشرين لاعباً قبل السفر.",
            "ويلعب المنتخب في التصفيات ضمن مجموعة تضم أربعة منتخبات، ويتأهل صاحب المركز الأول مباشرة إلى النهائيات. ويأمل الجهاز الفني أن يستفيد اللاعبون من الأجواء المعتدلة في الساحل لرفع جاهزيتهم.",
            "وأكد اتحاد كرة القدم أنه أمّن للمعسكر ملعبين بأرضية جيدة وفريقاً طبياً متفرغاً. كما وضع أخصائي في التغذية الرياضية برنامجاً غذائياً خاصاً باللاعبين طوال فترة المعسكر.",
        ],
        "section": "sport",
        "authors": ["samer_khatib", "omar_dakkak"],
        "source": "الماسة السورية",
        "days_ago": 7.4,
        "views": 2050,
        "image": True,
        "caption": "تدريبات منتخب الناشئين على أحد ملاعب اللاذقية",
        "credit": "عمر الدقاق",
    },
    # ------------------------------------------------------------------ culture
    {
        "title": "معرض تشكيلي في اللاذقية يستعيد حكايات البحر والصيادين",
        "lead": "يستضيف المركز الثقافي في اللاذقية معرضاً تشكيلياً لثلاثة فنانين شبان يضم أكثر من أربعين لوحة مستوحاة من حياة الصيادين على الساحل السوري.",
        "body": [
            "افتُتح في المركز الثقافي العربي باللاذقية معرض تشكيلي جماعي بعنوان «ملح وشباك»، يشارك فيه ثلاثة فنانين شبان من أبناء المدينة. ويضم المعرض أكثر من أربعين لوحة بالألوان الزيتية والمائية، إلى جانب عدد من الرسوم بالحبر.",
            "وتدور معظم الأعمال حول الميناء القديم وقوارب الصيد الخشبية ووجوه البحارة الذين يخرجون إلى البحر قبل الفجر. واختار أحد الفنانين أن يرسم الأدوات التي يستخدمها الصيادون في إصلاح شباكهم، معتبراً أنها «تحمل ذاكرة المهنة أكثر من أي صورة».",
            "وشهد حفل الافتتاح حضوراً لافتاً من طلاب كلية الفنون الجميلة وهواة الرسم. ودار بعد الجولة حوار مفتوح بين الفنانين والجمهور حول أساليبهم وتجاربهم الأولى.",
            "ويستمر المعرض حتى نهاية الشهر، ويفتح أبوابه يومياً من العاشرة صباحاً حتى السابعة مساءً عدا يوم الجمعة. ويعتزم المنظمون نقله لاحقاً إلى طرطوس إذا توافرت قاعة مناسبة.",
        ],
        "section": "culture",
        "authors": ["lina_aboud"],
        "source": "الماسة السورية",
        "days_ago": 8.9,
        "views": 530,
        "image": True,
        "caption": "زوار يتأملون لوحات معرض «ملح وشباك» في اللاذقية",
        "credit": "لينا عبود",
    },
    # ------------------------------------------------------------------ economy
    {
        "title": "افتتاح معمل لتعبئة زيت الزيتون في ريف طرطوس يوفر عشرات فرص العمل",
        "lead": "بدأ معمل جديد لتعبئة زيت الزيتون وتغليفه العمل في ريف طرطوس بطاقة إنتاجية تصل إلى خمسة أطنان يومياً، ويشغّل نحو ستين عاملاً معظمهم من أبناء القرى المجاورة.",
        "body": [
            "دخل معمل جديد لتعبئة زيت الزيتون مرحلة الإنتاج الفعلي في منطقة الشيخ بدر بريف طرطوس، بعد عامين من أعمال الإنشاء والتجهيز. ويعمل المعمل بطاقة إنتاجية تصل إلى خمسة أطنان يومياً من الزيت المعبأ في عبوات زجاجية ومعدنية بأحجام مختلفة.",
            "وقال صاحب المشروع إن الهدف الأساسي هو مساعدة المزارعين على تسويق زيتهم بأسعار أفضل، بدلاً من بيعه سائباً للتجار بأسعار منخفضة. وأضاف أن المعمل يشتري الزيت مباشرة من المزارعين بعد فحص جودته في مخبر صغير أُلحق به.",
            "ويشغّل المعمل حالياً نحو ستين عاملاً وعاملة، معظمهم من القرى المحيطة، مع خطة لرفع العدد إلى مئة مع بدء موسم القطاف المقبل. كما تعمل الإدارة على الحصول على شهادات جودة تتيح لها التصدير إلى أسواق خارجية.",
            "ويُعدّ الزيتون من أهم المحاصيل في ريف طرطوس، إذ تعتمد عليه آلاف الأسر مصدراً رئيسياً للدخل. ويرى مزارعون أن وجود معمل قريب يخفف عنهم أعباء النقل والتخزين التي كانت تلتهم جزءاً كبيراً من أرباحهم.",
        ],
        "section": "economy",
        "authors": ["rania_haddad"],
        "source": "مراسل الماسة في طرطوس",
        "days_ago": 10.3,
        "views": 1380,
        "image": True,
        "caption": "خط تعبئة زيت الزيتون في المعمل الجديد",
        "credit": "رانيا الحداد",
    },
    # ------------------------------------------------------------------ society / services
    {
        "title": "إعادة تأهيل شبكة المياه في حي الميدان تنهي انقطاعات متكررة",
        "lead": "أنهت مؤسسة المياه في دمشق أعمال استبدال خطوط الشبكة القديمة في حي الميدان، ما وضع حداً لانقطاعات متكررة عانى منها السكان طوال أشهر.",
        "body": [
            "أعلنت المؤسسة العامة لمياه الشرب في دمشق انتهاء أعمال إعادة تأهيل شبكة المياه في حي الميدان، والتي شملت استبدال نحو ستة كيلومترات من الأنابيب القديمة. وكانت أجزاء من الشبكة تعود إلى أكثر من خمسين عاماً، وتتعرض لأعطال متكررة.",
            "وأوضح مدير المشروع أن الأعمال نُفذت على مراحل لتجنب قطع المياه عن الحي بالكامل، وأن الورشات عملت ليلاً في الشوارع التجارية لتخفيف الازدحام. وأضاف أن نسبة الهدر في الشبكة يُنتظر أن تنخفض بشكل ملحوظ بعد التأهيل.",
            "وعبّر سكان في الحي عن ارتياحهم لانتظام وصول المياه إلى منازلهم، بعد أشهر اضطروا خلالها إلى شراء المياه من الصهاريج. في المقابل طالب آخرون بإعادة تزفيت الشوارع التي حُفرت خلال الأعمال في أقرب وقت.",
            "وتعتزم المؤسسة تنفيذ مشاريع مماثلة في حيَّي الشاغور والقنوات خلال العام الحالي، بحسب الخطة المعلنة. وتقول إن التمويل اللازم للمرحلة الأولى منها قد رُصد بالفعل.",
        ],
        "section": "society",
        "authors": ["team"],
        "source": "الماسة السورية",
        "days_ago": 12.0,
        "views": 905,
        "image": True,
        "caption": "ورشة تمدّد الأنابيب الجديدة في أحد شوارع حي الميدان",
        "credit": "الماسة السورية",
    },
    # ------------------------------------------------------------------ politics
    {
        "title": "محافظة اللاذقية تفتح باب الترشح لعضوية المجالس المحلية",
        "lead": "بدأت اللجنة القضائية في محافظة اللاذقية استقبال طلبات الترشح لعضوية مجالس المحافظة والمدن والبلدات، على أن يستمر تقديم الطلبات أسبوعين.",
        "body": [
            "فتحت اللجنة القضائية المشرفة على انتخابات الإدارة المحلية في محافظة اللاذقية باب الترشح لعضوية مجالس المحافظة والمدن والبلدات، وذلك في مقر قصر العدل بالمدينة. ويستمر استقبال الطلبات مدة أسبوعين من تاريخ الإعلان.",
            "ويُشترط في المرشح أن يكون قد أتمّ الخامسة والعشرين من عمره، وأن يكون مقيماً في الدائرة التي يترشح عنها، إضافة إلى شروط أخرى حددها قانون الإدارة المحلية. وتُنشر القوائم الأولية للمرشحين بعد انتهاء مدة التقديم، ويحق لأي ناخب الاعتراض عليها خلال مدة محددة.",
            "وقال رئيس اللجنة إن الإقبال في الأيام الأولى كان متوسطاً، متوقعاً أن يرتفع عدد الطلبات في الأيام الأخيرة كما جرت العادة في الدورات السابقة. ودعا الراغبين في الترشح إلى استكمال أوراقهم مبكراً لتفادي الازدحام.",
        ],
        "section": "politics",
        "authors": ["omar_dakkak"],
        "source": "الماسة السورية",
        "days_ago": 14.6,
        "views": 470,
        "image": False,
    },
    # ------------------------------------------------------------------ culture
    {
        "title": "المكتبة الوطنية تبدأ رقمنة آلاف المخطوطات النادرة",
        "lead": "أطلقت المكتبة الوطنية في دمشق مشروعاً لرقمنة مجموعتها من المخطوطات النادرة وإتاحتها للباحثين عبر منصة إلكترونية.",
        "body": [
            "بدأت المكتبة الوطنية في دمشق تنفيذ مشروع لتصوير مخطوطاتها النادرة ورقمنتها، في خطوة تهدف إلى حمايتها من التلف وتسهيل وصول الباحثين إليها. وتضم مجموعة المكتبة آلاف المخطوطات في الفقه واللغة والطب والفلك، يعود بعضها إلى أكثر من ثمانية قرون.",
            "ويعمل على المشروع فريق من المختصين في الترميم والتصوير، يبدأ بفحص حالة كل مخطوطة ومعالجة أوراقها المتضررة قبل تصويرها بدقة عالية. وتُحفظ الصور بعد ذلك على خوادم المكتبة مع بطاقة وصفية تتضمن العنوان والمؤلف وتاريخ النسخ.",
            "وقالت رئيسة قسم المخطوطات إن الأولوية أُعطيت للمخطوطات الأكثر طلباً والأشد هشاشة، موضحة أن الفريق ينجز نحو ثلاثين مخطوطة أسبوعياً. وأضافت أن المرحلة الأولى ستُستكمل خلال عام ونصف.",
            "وستُتاح المخطوطات المرقمنة للباحثين عبر منصة إلكترونية تتطلب التسجيل المسبق. أما النسخ الأصلية فتبقى محفوظة في مستودعات مكيّفة لا يدخلها إلا المختصون.",
        ],
        "section": "culture",
        "authors": ["team"],
        "source": "الماسة السورية",
        "days_ago": 16.2,
        "views": 1960,
        "image": True,
        "caption": "مختصة تفحص إحدى المخطوطات قبل تصويرها",
        "credit": "فريق ماسة",
        "title_en": "National Library begins digitising thousands of rare manuscripts",
        "lead_en": "The National Library in Damascus has launched a project to digitise its collection of rare manuscripts and make them available to researchers through an online platform.",
        "body_en": [
            "The National Library in Damascus has begun photographing and digitising its rare manuscripts, a step intended to protect them from deterioration and make them easier for researchers to consult. The collection includes thousands of manuscripts on jurisprudence, language, medicine and astronomy, some of them more than eight centuries old.",
            "The project is carried out by a team of conservation and imaging specialists, who first assess the condition of each manuscript and treat damaged pages before photographing them in high resolution. The images are then stored on the library's servers with a catalogue record giving the title, author and date of copying.",
            "The head of the manuscripts department said priority had been given to the most requested and most fragile items, explaining that the team completes about thirty manuscripts a week. She added that the first phase would be finished within eighteen months.",
            "The digitised manuscripts will be available to researchers through an online platform that requires prior registration. The originals will remain in climate-controlled stores open only to specialists.",
        ],
        "caption_en": "A specialist examines a manuscript before it is photographed",
    },
    # ------------------------------------------------------------------ sport
    {
        "title": "ماراثون حمص الخيري يجمع ألفي مشارك من مختلف الأعمار",
        "lead": "شارك نحو ألفي عدّاء وعدّاءة من مختلف الأعمار في ماراثون حمص الخيري، الذي خُصصت عائداته لدعم مركز يُعنى بالأطفال المصابين بأمراض مزمنة.",
        "body": [
            "انطلق صباح الجمعة ماراثون حمص الخيري من أمام الساعة الجديدة وسط المدينة، بمشاركة نحو ألفي عدّاء وعدّاءة تراوحت أعمارهم بين عشر سنوات وسبعين سنة. وتوزع المشاركون على ثلاثة مسارات بأطوال خمسة وعشرة وواحد وعشرين كيلومتراً.",
            "وفاز بسباق نصف الماراثون عدّاء من نادي الكرامة بزمن قدره ساعة وإحدى عشرة دقيقة، فيما حلّت عدّاءة من طرطوس أولى في فئة السيدات. وشهد السباق القصير مشاركة واسعة من طلاب المدارس والعائلات.",
            "وقالت اللجنة المنظمة إن رسوم التسجيل والتبرعات التي جُمعت على هامش السباق ستُخصَّص لتجهيز غرفة علاج جديدة في المركز. وشارك في التنظيم أكثر من مئتي متطوع تولّوا نقاط توزيع المياه والإسعاف على طول المسار.",
            "وأعرب المنظمون عن أملهم في أن يصبح الماراثون موعداً سنوياً ثابتاً في روزنامة المدينة. ويسعون إلى استقطاب عدّائين من المحافظات الأخرى في الدورات المقبلة.",
        ],
        "section": "sport",
        "authors": ["team"],
        "source": "الماسة السورية",
        "days_ago": 18.5,
        "views": 760,
        "image": True,
        "caption": "عدّاؤون عند خط الانطلاق قرب الساعة الجديدة في حمص",
        "credit": "الماسة السورية",
    },
    # ------------------------------------------------------------------ economy
    {
        "title": "مزارعو سهل الغاب يتوقعون موسم قمح أفضل بعد أمطار الشتاء",
        "lead": "يتوقع مزارعو القمح في سهل الغاب أن يتحسن إنتاج هذا الموسم مقارنة بالعام الماضي، بفضل الأمطار الجيدة التي هطلت خلال الشتاء.",
        "body": [
            "يبدي مزارعو القمح في سهل الغاب بريف حماة تفاؤلاً بموسم هذا العام، بعد شتاء شهد هطولات مطرية أعلى من المعدل في معظم مناطق السهل. وتبدو الحقول في هذه المرحلة من النمو بحالة جيدة، بحسب ما أفاد به مهندسون زراعيون في المنطقة.",
            "وقال أحد المزارعين إن الأمطار خففت عنه تكاليف الري التي أرهقته في المواسم السابقة، ولا سيما مع ارتفاع أسعار المحروقات. لكنه أشار إلى أن أسعار الأسمدة ما تزال مرتفعة، وأن كثيراً من المزارعين اكتفوا بكميات أقل من المطلوب.",
            "وتقدّر دائرة الزراعة في المنطقة أن يتجاوز متوسط إنتاج الهكتار ثلاثة أطنان إذا لم تتعرض المحاصيل لموجات حر مبكرة أو أمراض فطرية. وتنفذ الدائرة جولات ميدانية لمتابعة الحقول وتقديم الإرشادات اللازمة للمزارعين.",
            "ومن المنتظر أن يبدأ موسم الحصاد في أواخر أيار. وستفتح مراكز استلام الحبوب أبوابها في الأسبوع الأول من حزيران لاستقبال إنتاج المزارعين.",
        ],
        "section": "economy",
        "authors": ["rania_haddad"],
        "source": "مراسل الماسة في حماة",
        "days_ago": 21.0,
        "views": 690,
        "image": False,
    },
    # ------------------------------------------------------------------ society / technology
    {
        "title": "طلاب في جامعة حلب يطورون تطبيقاً لحجز مواعيد العيادات",
        "lead": "طوّر أربعة طلاب من كلية الهندسة المعلوماتية في جامعة حلب تطبيقاً للهواتف الذكية يتيح للمرضى حجز مواعيدهم في العيادات الخاصة ومتابعة دورهم في الانتظار.",
        "body": [
            "أطلق أربعة طلاب في السنة الخامسة بكلية الهندسة المعلوماتية في جامعة حلب تطبيقاً للهواتف الذكية يسمح للمرضى بحجز مواعيدهم في العيادات الخاصة، ومعرفة عدد المنتظرين قبلهم وهم خارج العيادة. وبدأ العمل فكرةً لمشروع التخرج قبل أن يتحول إلى تطبيق يعمل فعلياً.",
            "وتستخدم التطبيق حالياً نحو أربعين عيادة في المدينة في مرحلة تجريبية، معظمها عيادات أطفال وأسنان. ويتلقى المريض رسالة تنبيه قبل موعده بنصف ساعة، ويمكنه إلغاء الموعد أو تأجيله بضغطة واحدة.",
            "وقال أحد أعضاء الفريق إن الفكرة جاءت من تجربة شخصية، بعدما اضطر إلى الانتظار ثلاث ساعات مع والدته في عيادة مزدحمة. وأضاف أن الفريق حرص على أن يعمل التطبيق مع اتصال إنترنت ضعيف، وأن يدعم الرسائل النصية لمن لا يملك هاتفاً ذكياً.",
            "ويسعى الطلاب إلى توسيع التجربة لتشمل مخابر التحليل الطبي ومراكز الأشعة. ويبحثون حالياً عن جهة داعمة تساعدهم على تحويل المشروع إلى شركة ناشئة.",
        ],
        "section": "society",
        "authors": ["hala_mansour"],
        "source": "الماسة السورية",
        "days_ago": 24.7,
        "views": 1530,
        "image": False,
        "title_en": "Aleppo University students develop an app for booking clinic appointments",
        "lead_en": "Four informatics engineering students at Aleppo University have developed a smartphone app that lets patients book appointments at private clinics and follow their place in the queue.",
        "body_en": [
            "Four fifth-year students at Aleppo University's Faculty of Informatics Engineering have launched a smartphone app that lets patients book appointments at private clinics and see how many people are ahead of them while they wait outside. The work began as an idea for a graduation project before turning into a working app.",
            "Around forty clinics in the city, mostly paediatric and dental practices, are currently using the app in a trial phase. Patients receive a reminder half an hour before their appointment and can cancel or postpone it with a single tap.",
            "One team member said the idea came from personal experience, after he had to wait three hours with his mother at a crowded clinic. He added that the team had made sure the app works on weak internet connections and supports text messages for people without a smartphone.",
            "The students hope to extend the trial to medical laboratories and radiology centres. They are currently looking for a backer to help them turn the project into a start-up.",
        ],
    },
    # ------------------------------------------------------------------ culture (two authors)
    {
        "title": "فرقة مسرحية شابة تقدم عرضاً عن الذاكرة والحنين على مسرح الحمراء",
        "lead": "قدّمت فرقة «بيت الحكاية» المسرحية الشابة عرضها الجديد «نافذة على الحارة» على خشبة مسرح الحمراء في دمشق، وسط إقبال جماهيري لافت.",
        "body": [
            "عرضت فرقة «بيت الحكاية» المسرحية عملها الجديد «نافذة على الحارة» على خشبة مسرح الحمراء في دمشق، على مدى خمس ليالٍ متتالية. ويتناول العرض حكاية ثلاثة أجيال من عائلة واحدة تعيش في بيت دمشقي قديم، وتتقاطع ذكرياتهم حول نافذة تطل على الحارة.",
            "واعتمد المخرج على سينوغرافيا بسيطة قوامها نافذة خشبية كبيرة تتحرك على الخشبة، وتتبدل الإضاءة خلفها لتدل على تغيّر الزمن. وشارك في العرض تسعة ممثلين، معظمهم من خريجي المعهد العالي للفنون المسرحية في السنوات الأخيرة.",
            "ولقي العرض تفاعلاً واسعاً من الجمهور، إذ امتلأت مقاعد المسرح في معظم الليالي، واضطرت الإدارة إلى إضافة عرض سادس استجابة للطلب. ورأى نقاد حضروا العرض أن النص نجح في تناول موضوع الحنين من دون الوقوع في المبالغة العاطفية.",
            "وتعتزم الفرقة تقديم العرض في حمص واللاذقية خلال الشهرين المقبلين. وتأتي الجولة بدعوة من مديرية المسارح والموسيقى ضمن برنامجها لنقل العروض إلى المحافظات.",
        ],
        "section": "culture",
        "authors": ["lina_aboud", "hala_mansour"],
        "source": "الماسة السورية",
        "days_ago": 28.3,
        "views": 845,
        "image": True,
        "caption": "مشهد من عرض «نافذة على الحارة» على مسرح الحمراء",
        "credit": "هالة منصور",
    },
    # ------------------------------------------------------------------ politics
    {
        "title": "توقيع مذكرة تفاهم مع سلطنة عُمان للتعاون في التدريب المهني",
        "lead": "وُقّعت في دمشق مذكرة تفاهم مع سلطنة عُمان تنص على تبادل الخبرات في مجال التدريب المهني والتقني وتأهيل المدربين.",
        "body": [
            "وقّع الجانبان السوري والعُماني في دمشق أمس مذكرة تفاهم للتعاون في مجال التدريب المهني والتقني، تمتد ثلاث سنوات قابلة للتجديد. وتشمل المذكرة تبادل المناهج والخبرات وتنظيم دورات مشتركة لتأهيل المدربين.",
            "وتنص المذكرة على استضافة مجموعات من مدربي المعاهد المهنية السورية في مراكز تدريب عُمانية لفترات قصيرة، مقابل مشاركة خبراء عُمانيين في تطوير برامج تدريبية في مجالات الطاقة الشمسية والتبريد والتكييف. كما تتضمن إنشاء لجنة مشتركة تتابع التنفيذ وتجتمع مرة كل ستة أشهر.",
            "وقال ممثل الجانب السوري إن التعليم المهني يحظى بأهمية متزايدة مع الحاجة إلى أيدٍ عاملة ماهرة في قطاعات البناء والصيانة، مشيراً إلى أن المذكرة تفتح المجال أمام تحديث ورش المعاهد وتجهيزاتها. ومن المقرر أن تعقد اللجنة المشتركة اجتماعها الأول مطلع العام المقبل.",
        ],
        "section": "politics",
        "authors": ["hala_mansour"],
        "source": "وكالات",
        "days_ago": 31.9,
        "views": 390,
        "image": False,
    },
    # ------------------------------------------------------------------ economy
    {
        "title": "معرض للصناعات النسيجية في حلب يجمع أكثر من مئة شركة محلية",
        "lead": "افتُتح في مدينة حلب معرض متخصص بالصناعات النسيجية والألبسة بمشاركة أكثر من مئة شركة محلية، وسط حضور لافت لتجار من محافظات أخرى.",
        "body": [
            "انطلقت في مدينة المعارض بحلب فعاليات معرض الصناعات النسيجية والألبسة، بمشاركة أكثر من مئة شركة ومعمل من حلب ودمشق وحمص. ويستمر المعرض خمسة أيام، ويعرض منتجات تبدأ بالغزول والأقمشة وتنتهي بالألبسة الجاهزة.",
            "وقال رئيس اللجنة المنظمة إن المعرض يهدف إلى ربط المنتجين مباشرة بتجار الجملة، ومساعدة الورش الصغيرة على إيجاد أسواق جديدة لمنتجاتها. وأشار إلى أن عدداً من العقود وُقّع في اليوم الأول، من دون أن يحدد قيمتها.",
            "وتحدث صناعيون مشاركون عن صعوبات تواجه القطاع، أبرزها ارتفاع تكاليف الطاقة ونقص اليد العاملة المدربة. في المقابل أشاروا إلى تحسن الطلب على الأقمشة القطنية المحلية، التي تشتهر حلب بإنتاجها منذ عقود طويلة.",
            "ويتضمن برنامج المعرض ندوات متخصصة حول التصميم والتسويق الإلكتروني. ويُختتم بعرض أزياء يقدمه طلاب معهد الفنون التطبيقية بتصاميم مستوحاة من التراث الحلبي.",
        ],
        "section": "economy",
        "authors": ["rania_haddad"],
        "source": "مراسل الماسة في حلب",
        "days_ago": 36.4,
        "views": 1210,
        "image": True,
        "caption": "أجنحة الشركات المشاركة في معرض الصناعات النسيجية بحلب",
        "credit": "رانيا الحداد",
    },
    # ------------------------------------------------------------------ sport
    {
        "title": "بطولة الجمهورية للشطرنج تختتم بتتويج لاعب في السابعة عشرة",
        "lead": "اختُتمت في دمشق منافسات بطولة الجمهورية للشطرنج بتتويج لاعب في السابعة عشرة من عمره باللقب للمرة الأولى، بعد تسع جولات من المنافسة.",
        "body": [
            "أُسدل الستار على بطولة الجمهورية للشطرنج التي استضافتها صالة الفيحاء في دمشق بمشاركة ستين لاعباً من مختلف المحافظات. وتُوّج باللقب لاعب من نادي المحافظة يبلغ السابعة عشرة من عمره، بعدما جمع سبع نقاط ونصف النقطة من أصل تسع.",
            "وحسم البطل اللقب في الجولة الأخيرة بتعادله مع أقرب منافسيه، في مباراة طويلة استمرت أكثر من أربع ساعات. وحلّ في المركز الثاني لاعب من حمص، فيما جاء ثالثاً لاعب من اللاذقية بفارق كسر التعادل.",
            "وقال الحكم العام للبطولة إن مستوى المنافسة كان مرتفعاً هذا العام، لافتاً إلى أن نصف المشاركين تقريباً من فئة الشباب. ويتأهل أصحاب المراكز الثلاثة الأولى لتمثيل المنتخب في البطولة العربية المقبلة.",
        ],
        "section": "sport",
        "authors": ["samer_khatib"],
        "source": "الماسة السورية",
        "days_ago": 41.0,
        "views": 420,
        "image": False,
    },
    # ------------------------------------------------------------------ society / environment
    {
        "title": "متطوعون يزرعون ألف شجرة على ضفاف نهر العاصي في حماة",
        "lead": "زرع مئات المتطوعين من طلاب الجامعات والجمعيات الأهلية ألف غرسة على ضفاف نهر العاصي في حماة، ضمن حملة لتوسيع المساحات الخضراء في المدينة.",
        "body": [
            "شارك نحو ثلاثمئة متطوع، معظمهم من طلاب الجامعات وأعضاء جمعيات أهلية، في حملة تشجير على ضفاف نهر العاصي في مدينة حماة، زُرعت خلالها ألف غرسة من أشجار الصنوبر والكينا والزيتون. واستمرت الحملة يومين بالتنسيق مع مجلس المدينة ومديرية الزراعة.",
            "وقال أحد منظمي الحملة إن اختيار الأنواع جرى بعناية لتناسب طبيعة التربة وقربها من مجرى النهر، وإن مجلس المدينة تعهّد بري الغراس بانتظام خلال الصيف الأول. وأضاف أن فرقاً من المتطوعين ستزور الموقع شهرياً لمتابعة نمو الأشجار واستبدال ما يتلف منها.",
            "وتأتي الحملة في إطار مبادرة أوسع تهدف إلى إعادة الحياة إلى المساحات المحيطة بالنواعير، التي تُعدّ من أبرز معالم المدينة ومقصداً للعائلات في أيام العطل. ويأمل القائمون على المبادرة أن تتحول هذه المساحات خلال سنوات قليلة إلى متنزه متصل على طول النهر.",
        ],
        "section": "society",
        "authors": ["omar_dakkak"],
        "source": "الماسة السورية",
        "days_ago": 45.2,
        "views": 615,
        "image": True,
        "caption": "متطوعون يزرعون الغراس قرب إحدى نواعير حماة",
        "credit": "عمر الدقاق",
    },
    # ------------------------------------------------------------------ culture
    {
        "title": "رواية أولى لكاتبة من السويداء تفوز بجائزة «حبر» للأدب الشاب",
        "lead": "فازت كاتبة شابة من السويداء بجائزة «حبر» للرواية الأولى عن عمل يروي سيرة قرية جبلية عبر رسائل متبادلة بين جدة وحفيدتها.",
        "body": [
            "أعلنت لجنة تحكيم جائزة «حبر» للأدب الشاب فوز رواية «رسائل إلى التلّة» لكاتبة شابة من محافظة السويداء، من بين أكثر من ستين مخطوطة تقدمت إلى الجائزة هذا العام. وتُمنح الجائزة سنوياً للكتّاب الذين لم يسبق لهم نشر أي عمل روائي.",
            "وتروي الرواية سيرة قرية جبلية على مدى نصف قرن، من خلال رسائل تتبادلها جدة تعيش في القرية وحفيدتها التي تدرس في دمشق. ورأت لجنة التحكيم أن العمل تميّز بلغة صافية وبناء محكم، وأنه قدّم صورة حية للتحولات الاجتماعية في الريف من دون أن يقع في الحنين المجاني.",
            "وقالت الكاتبة في كلمة ألقتها خلال حفل التسليم إنها كتبت الرواية على مدى ثلاث سنوات، مستعينة بحكايات سمعتها من جدتها في طفولتها. وتتضمن الجائزة طباعة الرواية وتوزيعها، إضافة إلى مكافأة مالية.",
            "ومن المقرر أن تصدر الرواية في طبعتها الأولى خلال الشهرين المقبلين. وسيُقام حفل توقيعها في معرض الكتاب المقبل بحضور أعضاء لجنة التحكيم.",
        ],
        "section": "culture",
        "authors": ["lina_aboud"],
        "source": "الماسة السورية",
        "days_ago": 50.6,
        "views": 980,
        "image": False,
    },
    # ------------------------------------------------------------------ economy
    {
        "title": "ورشة لتمويل المشاريع الصغيرة تستقطب رواد أعمال شباباً في حماة",
        "lead": "نظّمت غرفة تجارة حماة ورشة عمل تعريفية ببرامج تمويل المشاريع الصغيرة ومتناهية الصغر، شارك فيها أكثر من مئة وخمسين شاباً وشابة.",
        "body": [
            "استضافت غرفة تجارة حماة ورشة عمل حول مصادر تمويل المشاريع الصغيرة ومتناهية الصغر، بمشاركة ممثلين عن مصارف ومؤسسات للتمويل الأصغر. وحضر الورشة أكثر من مئة وخمسين شاباً وشابة يسعون إلى إطلاق مشاريعهم الخاصة أو توسيعها.",
            "وشرح ممثلو الجهات الممولة شروط الحصول على القروض وآليات السداد، إضافة إلى المستندات المطلوبة وأهمية إعداد دراسة جدوى واقعية. كما عُرضت نماذج لمشاريع ناجحة بدأت بقروض صغيرة، منها ورشة خياطة ومحل لصيانة الهواتف ومشروع لتربية النحل.",
            "وطرح الحضور أسئلة حول الضمانات المطلوبة، معتبرين أنها تشكل العائق الأكبر أمام كثير من الشباب الذين لا يملكون عقارات أو كفلاء. وأوضح ممثلو المؤسسات أن بعض البرامج تقبل ضمانات جماعية أو كفالة من جمعيات معتمدة.",
            "وأعلنت الغرفة أنها ستنظم ورشات مشابهة في مناطق الريف خلال الأشهر المقبلة. كما ستطلق دورات تدريبية في المحاسبة والتسويق لأصحاب المشاريع الناشئة.",
        ],
        "section": "economy",
        "authors": ["omar_dakkak"],
        "source": "الماسة السورية",
        "days_ago": 55.1,
        "views": 340,
        "image": False,
    },
    # ------------------------------------------------------------------ sport
    {
        "title": "افتتاح المسبح الأولمبي المُعاد تأهيله في مدينة الفيحاء الرياضية",
        "lead": "أُعيد افتتاح المسبح الأولمبي في مدينة الفيحاء الرياضية بدمشق بعد أعمال تأهيل شاملة استمرت أكثر من عام، شملت أنظمة التدفئة والتنقية والمدرجات.",
        "body": [
            "افتُتح المسبح الأولمبي في مدينة الفيحاء الرياضية بدمشق بعد انتهاء أعمال إعادة التأهيل التي استمرت أكثر من عام. وشملت الأعمال تجديد أنظمة تنقية المياه وتدفئتها، وإصلاح أرضية الحوض وجدرانه، وتأهيل المدرجات وغرف تبديل الملابس.",
            "وأقيمت بمناسبة الافتتاح بطولة تنشيطية للسباحة شارك فيها لاعبون ولاعبات من أندية دمشق وريفها في فئات عمرية مختلفة. وقال مدرب المنتخب الوطني للسباحة إن عودة المسبح إلى العمل ستتيح للاعبين التدرب طوال العام بدلاً من الاكتفاء بالمسابح المكشوفة في الصيف.",
            "وبحسب إدارة المدينة الرياضية، سيُخصَّص المسبح في ساعات الصباح لتدريبات الأندية والمنتخبات. أما في فترات المساء فيُفتح للعموم مقابل اشتراكات شهرية، مع أسعار مخفضة للطلاب.",
        ],
        "section": "sport",
        "authors": ["samer_khatib"],
        "source": "الماسة السورية",
        "days_ago": 60.0,
        "views": 1875,
        "image": True,
        "caption": "سباحون يشاركون في البطولة التنشيطية بعد إعادة افتتاح المسبح",
        "credit": "سامر الخطيب",
    },
    # ------------------------------------------------------------------ archive (mirrors the legacy page's metadata)
    {
        "title": "مهرجان الربيع للفنون الشعبية ينطلق في حماة بمشاركة عشرين فرقة",
        "lead": "انطلقت في مدينة حماة فعاليات مهرجان الربيع للفنون الشعبية، بمشاركة عشرين فرقة للرقص والغناء التراثي من مختلف المحافظات السورية.",
        "body": [
            "انطلقت مساء أمس في حديقة أم الحسن بمدينة حماة فعاليات مهرجان الربيع للفنون الشعبية، بمشاركة عشرين فرقة للرقص والغناء التراثي قدمت من مختلف المحافظات. ويستمر المهرجان أسبوعاً كاملاً، تُقدَّم خلاله العروض يومياً في الهواء الطلق.",
            "وافتُتح المهرجان بلوحة جماعية استعرضت أزياء المحافظات السورية وأغانيها الشعبية، من الدبكة الساحلية إلى أهازيج الجزيرة والعراضة الشامية. وتابع العرض الأول جمهور كبير ملأ مدرجات الحديقة، فيما وقف كثيرون على أطرافها لمتابعة الفقرات.",
            "وقال مدير المهرجان إن هذه الدورة تولي اهتماماً خاصاً بالفرق الشبابية والمدرسية، بهدف نقل التراث الفني إلى الأجيال الجديدة وحمايته من الاندثار. وأضاف أن لجنة فنية ستختار في ختام المهرجان أفضل ثلاث فرق لتمثيل المحافظة في فعاليات وطنية لاحقة.",
            "ويرافق المهرجان سوق للحرف اليدوية يعرض فيه حرفيون من حماة منتجاتهم من النسيج والنحاس والفخار. كما تنتشر في أرجاء الحديقة أكشاك للمأكولات الشعبية التي تشتهر بها المدينة، وفي مقدمتها حلاوة الجبن.",
        ],
        "section": "archive",
        "authors": ["team"],
        "source": "الماسة السورية",
        "published": "2017-04-27T10:00:00+03:00",
        "views": 7529,
        "image": True,
        "caption": "فرقة للدبكة الشعبية خلال حفل افتتاح المهرجان في حماة",
        "credit": "أرشيف الماسة السورية",
        "title_en": "Spring Folk Arts Festival opens in Hama with twenty troupes",
        "lead_en": "The Spring Folk Arts Festival opened in Hama with twenty traditional dance and song troupes from governorates across Syria.",
        "body_en": [
            "The Spring Folk Arts Festival opened yesterday evening in Umm al-Hasan Park in Hama, with twenty traditional dance and song troupes from across the governorates. The festival runs for a full week, with open-air performances every day.",
            "The opening featured a group tableau of the costumes and folk songs of Syria's governorates, from coastal dabke to the chants of the Jazira and the Damascene arada. A large audience filled the park's terraces for the first show, while many others stood along its edges to watch.",
            "The festival director said this edition pays special attention to youth and school troupes, with the aim of passing the artistic heritage on to new generations and protecting it from being lost. He added that an artistic committee would choose the three best troupes at the close of the festival to represent the governorate at later national events.",
            "The festival is accompanied by a handicrafts market where Hama artisans display their textiles, copperware and pottery. Stalls around the park also sell the traditional sweets and dishes the city is known for, above all halawet el-jibn.",
        ],
        "caption_en": "A folk dabke troupe at the festival's opening ceremony in Hama",
    },
    # ------------------------------------------------------------------ archive
    {
        "title": "سوق للكتب المستعملة يفتح أبوابه كل جمعة في حديقة تشرين",
        "lead": "بدأ عشرات باعة الكتب المستعملة عرض بضاعتهم كل يوم جمعة في حديقة تشرين بدمشق، في مبادرة لاقت إقبالاً من القراء والطلاب.",
        "body": [
            "تحولت إحدى ساحات حديقة تشرين في دمشق صباح كل جمعة إلى سوق مفتوح للكتب المستعملة، يعرض فيه نحو ثلاثين بائعاً آلاف العناوين في الأدب والتاريخ والعلوم، إلى جانب الكتب المدرسية. وجاءت المبادرة بالتنسيق مع محافظة دمشق التي خصصت المكان للباعة مجاناً.",
            "ويقول أحد الباعة، الذي ورث المهنة عن والده، إن السوق أتاح له الوصول إلى زبائن جدد بعدما تراجع الإقبال على مكتبته الصغيرة. ويضيف أن أكثر ما يُطلب هو الروايات المترجمة وكتب تعليم اللغات، إلى جانب المجلات القديمة التي يبحث عنها الهواة.",
            "ويجد الطلاب في السوق فرصة للحصول على المراجع الجامعية بأسعار أقل بكثير من أسعار الكتب الجديدة. كما تحوّل المكان تدريجياً إلى ملتقى أسبوعي للقراء، يتبادلون فيه الكتب والآراء حول ما قرأوه.",
        ],
        "section": "archive",
        "authors": ["team"],
        "source": "الماسة السورية",
        "published": "2015-10-16T09:30:00+03:00",
        "views": 3120,
        "image": True,
        "caption": "زوار يتصفحون الكتب المستعملة في حديقة تشرين",
        "credit": "أرشيف الماسة السورية",
    },
    # ------------------------------------------------------------------ archive
    {
        "title": "ترميم قاعة أثرية في قصر العظم بحماة يعيد إليها زخارفها الأصلية",
        "lead": "أنهى فريق من المرممين أعمال ترميم إحدى القاعات الرئيسية في قصر العظم بحماة، وأعاد إلى سقفها الخشبي المزخرف ألوانه الأصلية.",
        "body": [
            "اختتم فريق من المرممين التابعين لدائرة الآثار في حماة أعمال ترميم القاعة الشتوية في قصر العظم، بعد عمل متواصل استمر ثمانية أشهر. وشملت الأعمال معالجة الرطوبة في الجدران وتدعيم السقف الخشبي وتنظيف زخارفه الملونة.",
            "وأوضح رئيس الفريق أن المرممين اعتمدوا على صور قديمة ودراسات سابقة لتحديد الألوان الأصلية للزخارف، واستخدموا مواد تقليدية قريبة من تلك التي استُعملت عند بناء القصر في القرن الثامن عشر. وأشار إلى أن بعض الأجزاء المتضررة بشدة أُعيد تنفيذها وفق النماذج الأصلية.",
            "ويُعدّ القصر من أبرز المعالم العمرانية في حماة، ويضم متحفاً للتقاليد الشعبية يقصده الزوار والطلاب. ومن المنتظر أن تُفتح القاعة المرممة للزوار مطلع الشهر المقبل.",
        ],
        "section": "archive",
        "authors": ["lina_aboud"],
        "source": "الماسة السورية",
        "published": "2018-06-03T11:15:00+03:00",
        "views": 2240,
        "image": False,
    },
    # ------------------------------------------------------------------ archive
    {
        "title": "حملة لتوثيق الحِرف اليدوية الدمشقية المهددة بالاندثار",
        "lead": "أطلقت جمعية أهلية في دمشق حملة لتوثيق الحرف اليدوية التقليدية بالصوت والصورة، وتسجيل شهادات من آخر الحرفيين العاملين فيها.",
        "body": [
            "بدأت جمعية أهلية معنية بالتراث في دمشق حملة لتوثيق الحرف اليدوية التقليدية التي تراجع عدد العاملين فيها خلال السنوات الماضية، ومنها صناعة البروكار والموزاييك الخشبي والنحاس المطعّم. وتعتمد الحملة على تصوير مراحل العمل داخل الورش وتسجيل مقابلات مطولة مع الحرفيين.",
            "وقالت منسقة الحملة إن كثيراً من أسرار هذه المهن تنتقل شفاهياً من المعلم إلى الصانع، وإن رحيل الحرفيين المسنين من دون توثيق يعني ضياعها نهائياً. وأضافت أن الفريق زار حتى الآن أكثر من عشرين ورشة في أسواق دمشق القديمة وحاراتها.",
            "وتخطط الجمعية لإصدار المادة الموثقة في كتاب مصوّر وفيلم وثائقي قصير، إلى جانب أرشيف رقمي مفتوح للباحثين. كما تسعى إلى تنظيم دورات تدريبية يعلّم فيها الحرفيون الكبار الشباب أساسيات المهنة.",
        ],
        "section": "archive",
        "authors": ["omar_dakkak"],
        "source": "الماسة السورية",
        "published": "2019-11-20T12:00:00+02:00",
        "views": 1480,
        "image": False,
    },
]

# The live coverage of the demo (issue 17): the storm article above becomes a live page.
# Entries oldest first; "minutes_ago" dates them, "pinned"/"breaking"/"edited" flag them.
LIVE_COVERAGE = {
    "article": "منخفض جوي يحمل أمطاراً غزيرة وثلوجاً على المرتفعات بدءاً من الأحد",
    "entries": [
        {
            "minutes_ago": 300,
            "text": "بدأت الغيوم تتكاثف فوق المناطق الساحلية منذ ساعات الصباح الأولى، وسُجّلت أولى الزخات في طرطوس وبانياس.",
            "author": "rania_haddad",
        },
        {
            "minutes_ago": 250,
            "text": "الأرصاد الجوية: الهطولات ستشتد بعد الظهر، مع رياح جنوبية غربية قد تتجاوز سرعتها ستين كيلومتراً في الساعة على المرتفعات.",
            "pinned": True,
        },
        {
            "minutes_ago": 190,
            "text": "محافظة دمشق ترفع جاهزية ورشات الصرف الصحي وتنشر فرقاً عند الأنفاق المعرّضة للتجمعات المائية في المزة والبرامكة.",
            "author": "samer_khatib",
        },
        {
            "minutes_ago": 140,
            "text": "تساقط الثلوج على قمم جبل الشيخ وبلودان، وسماكتها تجاوزت عشرة سنتيمترات في بعض المناطق.",
            "edited": True,
        },
        {
            "minutes_ago": 95,
            "text": "قيادة الشرطة: إغلاق طريق دمشق – بيروت عند منطقة جديدة يابوس أمام الشاحنات حتى إشعار آخر بسبب تشكّل الجليد.",
            "breaking": True,
        },
        {
            "minutes_ago": 60,
            "text": "وزارة التربية تعلن تعليق الدوام في مدارس المناطق الجبلية بريف دمشق يوم غد الإثنين.",
            "breaking": True,
            "author": "hala_mansour",
        },
        {
            "minutes_ago": 25,
            "text": "الدفاع المدني يساعد عشرات السيارات العالقة على طريق بلودان، ولا إصابات حتى الآن.",
            "author": "samer_khatib",
        },
    ],
}
# Topics of the demo articles (by their place in ARTICLES). Some names are spelled two ways
# on purpose («الأسعار», «الاسعار»): the desk folds them into one topic.
ARTICLE_TOPICS = {
    0: ["الأسعار", "الزراعة", "دمشق"],
    1: ["الطقس"],
    2: ["كرة القدم", "الدوري السوري"],
    3: ["المجالس المحلية", "حمص"],
    4: ["الموسيقى", "دمشق"],
    6: ["حماية المستهلك", "الاسعار"],
    7: ["الخدمات الإلكترونية", "الكهرباء"],
    8: ["الصحة"],
    9: ["كرة القدم"],
    11: ["الزراعة", "زيت الزيتون"],
    12: ["المياه", "دمشق"],
    13: ["المجالس المحلية"],
    14: ["التراث", "الكتب"],
    16: ["الزراعة", "الطقس"],
    17: ["الصحة", "الخدمات الإلكترونية"],
    19: ["التعليم"],
    20: ["الصناعة"],
    22: ["البيئة"],
    23: ["الكتب"],
    25: ["كرة القدم"],
    27: ["الكتب", "دمشق"],
    28: ["التراث"],
    29: ["التراث", "دمشق"],
}

# The topics' English names (English pages showed «دمشق» on English articles).
TOPIC_NAMES_EN = {
    "الأسعار": "Prices",
    "الزراعة": "Agriculture",
    "دمشق": "Damascus",
    "الطقس": "Weather",
    "كرة القدم": "Football",
    "الدوري السوري": "Syrian league",
    "المجالس المحلية": "Local councils",
    "حمص": "Homs",
    "الموسيقى": "Music",
    "حماية المستهلك": "Consumer protection",
    "الخدمات الإلكترونية": "E-services",
    "الكهرباء": "Electricity",
    "الصحة": "Health",
    "زيت الزيتون": "Olive oil",
    "المياه": "Water",
    "التراث": "Heritage",
    "الكتب": "Books",
    "التعليم": "Education",
    "الصناعة": "Industry",
    "البيئة": "Environment",
}

# The outlet's own pages (pages/): linked from the footer.
STATIC_PAGES = [
    {
        "title": "من نحن",
        "title_en": "About us",
        "body": [
            "«الماسة السورية» موقع إخباري مستقل ينقل أخبار المدن السورية كما يعيشها أهلها: "
            "الأسواق والخدمات والرياضة والثقافة، بلغة واضحة ومصادر معلنة.",
            "يعمل في الموقع فريق صغير من المحررين والمراسلين، ويصحّح ما يقع فيه من أخطاء "
            "علناً في صفحة التصحيحات.",
        ],
        "body_en": [
            "Al-Masa Al-Suriya is an independent news site covering Syrian cities as their "
            "people live them: markets, services, sport and culture, in plain language.",
        ],
    },
    {
        "title": "اتصل بنا",
        "title_en": "Contact us",
        "body": [
            "لإرسال خبر أو تصحيح أو ملاحظة، راسلونا على العنوان newsroom@example.org، "
            "ونرد على الرسائل خلال يومي عمل.",
            "للإعلان والشراكات: ads@example.org.",
        ],
        "body_en": [
            "To send us news, a correction or a remark, write to newsroom@example.org; we "
            "answer within two working days.",
        ],
    },
]

# A story file («ملف»): a running story's articles in order (their places in ARTICLES).
STORY_FILES = [
    {
        "title": "التراث الدمشقي",
        "title_en": "Damascene heritage",
        "description": "ترميم المباني القديمة وتوثيق الحرف والمخطوطات: متابعة مستمرة.",
        "description_en": "Restoring old buildings and recording crafts and manuscripts: "
        "a running file.",
        "articles": [14, 28, 29],
    },
]

# The curated front page (frontpage/): blocks in order; a section by its key, the story file by
# its title, an author by key. The lead is hand-picked at load time (the latest with a picture).
FRONT_PAGE = {
    "name": "الصفحة الأولى للنسخة التجريبية",
    "blocks": [
        {"kind": "lead", "size": 1, "pick_latest_with_image": True},
        {"kind": "live", "title": "تغطية مباشرة", "title_en": "Live coverage", "size": 2},
        {"kind": "opinion", "author": "rania_haddad", "title": "عمود رانيا الحداد",
         "title_en": "Rania Haddad's column", "size": 3},  # one author: her name, not «بأقلامهم»
        {"kind": "picked", "title": "آخر الأخبار", "title_en": "Latest news", "size": 6},
        {"kind": "story_file", "story_file": "التراث الدمشقي", "size": 3},
        {"kind": "most_read", "size": 5},
        {"kind": "section", "section": "politics", "size": 4},
        {"kind": "section", "section": "economy", "size": 4},
        {"kind": "section", "section": "culture", "size": 4},
        {"kind": "section", "section": "sport", "size": 4},
        {"kind": "links", "title": "عن الماسة", "title_en": "About us", "size": 4,
         "static_pages": True},
    ],
}  # fmt: skip
