// This project's machines run Node.js 20, where the AWS SDK warns once per process that its 2027
// releases will need Node.js 22; the handlers themselves run on Lambda's Node.js 24.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
