/* "Hỏi trợ lý" links to /tro-ly/; with JavaScript its first tap loads the chat panel (assistant.js, assistant.css), which no page carries until then. */
(function(){var a=document.querySelector('.chat-fab'),asked;if(!a||!window.fetch||!window.FormData)return;
a.addEventListener('click',function(e){if(e.ctrlKey||e.metaKey||e.shiftKey)return;e.preventDefault();
if(window.tbAssistant){window.tbAssistant.open();return}if(asked)return;asked=1;
var l=document.createElement('link');l.rel='stylesheet';l.href=a.getAttribute('data-css');document.head.appendChild(l);
var s=document.createElement('script');s.src=a.getAttribute('data-js');
s.onload=function(){window.tbAssistant.open()};s.onerror=function(){location.href=a.href};document.head.appendChild(s)})})();
