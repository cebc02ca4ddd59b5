//! The sign-in page's words.

#[allow(unused_imports)]
pub use super::*;
use crate::domain::language::{Locale, count, nouns};

pub const ENTER_YOUR_USER_NAME: Words = Words::new("أدخل اسم المستخدم", "Enter your user name");
pub const ENTER_YOUR_PASSWORD: Words = Words::new("أدخل كلمة المرور", "Enter your password");
pub const THE_USER_NAME_OR_THE_PASSWORD: Words = Words::new(
    "اسم المستخدم أو كلمة المرور غير صحيحين",
    "The user name or the password is not right",
);
pub const THERE_IS_A_PROBLEM: Words = Words::new("هناك مشكلة", "There is a problem");
pub const USER_NAME: Words = Words::new("اسم المستخدم", "User name");
pub const PASSWORD: Words = Words::new("كلمة المرور", "Password");
pub const SIGN_IN_BUTTON: Words = Words::new("دخول", "Sign in");
pub const NO_PASSWORD_YET_AN_ADMINISTRATOR_SETS: Words = Words::new(
    "ليست لديك كلمة مرور؟ اطلبها من مسؤول النظام، وإن نسيتها وضع لك غيرها.",
    "No password yet? Ask the system administrator for one; if you forget it, they set a new one.",
);
pub const SIGN_IN: Words = Words::new("تسجيل الدخول", "Sign in");
pub const ERROR: Words = Words::new("خطأ: ", "Error: ");

/// A name locked after too many wrong passwords, and when to try again
/// (whole minutes, at least one).
pub fn too_many_attempts(minutes: i64) -> Text {
    Text::new(
        format!(
            "محاولات خاطئة كثيرة لهذا الاسم: حاول مجدداً بعد {}",
            count(
                minutes.max(0) as u64,
                &nouns::MINUTES_AFTER,
                Locale::ARABIC_WESTERN
            )
        ),
        format!(
            "Too many wrong passwords for this name: try again in {minutes} minute{}",
            if minutes == 1 { "" } else { "s" }
        ),
    )
}
