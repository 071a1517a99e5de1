//! The organisers' files (CSV in UTF-8 or GBK/GB18030, .xlsx) into domain types.
