//! The mail's words (`mail::templates`): each template's subject and the
//! lead above its list of cases.

use crate::domain::language::Words;

/// A mail's subject and its lead.
pub struct Mail {
    pub subject: Words,
    pub lead: Words,
}

pub const OVERDUE_DIGEST: Mail = Mail {
    subject: Words::new(
        "تذكير: طلبات تجاوزت مهلتها",
        "Reminder: cases past their due date",
    ),
    lead: Words::new(
        "الطلبات التالية تجاوزت المهلة المحددة لمرحلتها:",
        "These cases are past the due date of their stage:",
    ),
};

pub const CARD_DUE: Mail = Mail {
    subject: Words::new(
        "بطاقات شخصية مستحقة عند بلوغ السن",
        "ID cards due at the card age",
    ),
    lead: Words::new(
        "بلغ الأفراد التاليون سن البطاقة ويجب حضورهم شخصياً:",
        "These members have reached the card age and must appear in person:",
    ),
};

pub const CARD_WAITING: Mail = Mail {
    subject: Words::new(
        "بطاقات مطبوعة بانتظار الاستلام",
        "Printed ID cards awaiting collection",
    ),
    lead: Words::new(
        "البطاقات التالية مطبوعة ولم تُستلم بعد:",
        "These cards are printed and not yet collected:",
    ),
};

pub const RETURNED_REMINDER: Mail = Mail {
    subject: Words::new(
        "طلب بانتظار استكمال المعلومات",
        "An application awaits missing information",
    ),
    lead: Words::new(
        "الطلبات التالية أعيدت لاستكمال المعلومات ولم يصل رد:",
        "These applications were returned for missing information with no answer yet:",
    ),
};

pub const LEADERSHIP_DIGEST: Mail = Mail {
    subject: Words::new("موجز الأعمال المتأخرة", "Digest of overdue work"),
    lead: Words::new(
        "أعداد الطلبات المتأخرة حسب المرحلة (أرقام فقط):",
        "Overdue applications per stage (counts only):",
    ),
};

pub const CASE_RETURNED: Mail = Mail {
    subject: Words::new(
        "أعيد طلبكم لاستكمال المعلومات",
        "Your application was returned for missing information",
    ),
    lead: Words::new(
        "يرجى مراجعة المركز لاستكمال الطلب:",
        "Please visit the centre to complete the application:",
    ),
};

pub const CASE_APPROVED: Mail = Mail {
    subject: Words::new("تمت الموافقة على طلبكم", "Your application was approved"),
    lead: Words::new(
        "تمت الموافقة على الطلب التالي وسيجري القيد في السجل المدني:",
        "This application was approved and goes to the civil registry:",
    ),
};

pub const CASE_REJECTED: Mail = Mail {
    subject: Words::new("قرار بشأن طلبكم", "A decision on your application"),
    lead: Words::new(
        "صدر قرار برفض الطلب التالي:",
        "This application was rejected:",
    ),
};

pub const CASE_COMPLETED: Mail = Mail {
    subject: Words::new("اكتمل طلبكم", "Your application is complete"),
    lead: Words::new(
        "اكتمل الطلب التالي وسُلّمت البطاقات المستحقة:",
        "This application is complete and the cards due were handed over:",
    ),
};

/// A template with no words of its own.
pub const NOTICE: Mail = Mail {
    subject: Words::new("إشعار", "Notice"),
    lead: Words::new("إشعار بخصوص:", "A notice about:"),
};
